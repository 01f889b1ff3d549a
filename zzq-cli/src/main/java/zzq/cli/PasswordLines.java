package zzq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import zzq.engine.auth.AuthFileException;
import zzq.engine.auth.PasswordFile;
import zzq.engine.auth.PasswordHash;

/**
 * The lines of a password file that {@code zzq passwd} edits: one user's line is set, added or removed, and every
 * other line (other users, comments, blank lines) is kept as it was, in order. Not thread-safe.
 */
final class PasswordLines {
    private final Path file;
    private final List<String> lines;

    private PasswordLines(Path file, List<String> lines) {
        this.file = file;
        this.lines = new ArrayList<>(lines);
    }

    /**
     * Reads a file's lines (UTF-8).
     *
     * @throws IOException it cannot be read, or is not UTF-8 text
     */
    static PasswordLines read(Path file) throws IOException {
        return new PasswordLines(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** No lines yet: a file being created (or overwritten). */
    static PasswordLines none(Path file) {
        return new PasswordLines(file, List.of());
    }

    /**
     * Checks that every line is one the broker reads: {@code USER:HASH}, a comment, or blank, each user once.
     *
     * @throws AuthFileException names the first line that is not
     */
    void check() throws AuthFileException {
        PasswordFile.parse(file, lines);
    }

    /** Whether a user has a line. */
    boolean contains(String user) {
        return indexOf(user) >= 0;
    }

    /** Sets a user's hash: replaces its line where it is, or adds one at the end. */
    void put(String user, String hash) {
        String line = user + ":" + hash;
        int at = indexOf(user);
        if (at >= 0) {
            lines.set(at, line);
        } else {
            lines.add(line);
        }
    }

    /** Removes a user's line; returns whether there was one. */
    boolean remove(String user) {
        int at = indexOf(user);
        if (at >= 0) {
            lines.remove(at);
        }
        return at >= 0;
    }

    /**
     * Hashes every plain-text password ({@code USER:PASSWORD} lines, the password being everything after the
     * first {@code :}). A line that already holds a hash is kept, so that running this twice does not hash a
     * hash (as {@code mosquitto_passwd -U} would).
     *
     * @param hash turns a password's bytes into a hash field
     * @return how many lines already held a hash
     * @throws AuthFileException names a line without {@code :}, with a user name that cannot be stored, or
     *                           with a user given before; the file is left as it was then
     */
    int hashPlainText(Function<byte[], String> hash) throws AuthFileException {
        List<String> hashed = new ArrayList<>(lines.size());
        Map<String, Integer> seen = new HashMap<>();
        int kept = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (!isSignificant(line)) {
                hashed.add(line);
                continue;
            }
            if (colon < 0) {
                throw new AuthFileException(file, i + 1, "missing ':' between user name and password");
            }
            String user = line.substring(0, colon);
            Optional<String> problem = PasswordHash.usernameProblem(user);
            if (problem.isPresent()) {
                throw new AuthFileException(file, i + 1, "the user name " + problem.get());
            }
            Integer first = seen.putIfAbsent(user, i + 1);
            if (first != null) {
                throw new AuthFileException(file, i + 1, "user '" + user + "' is also on line " + first);
            }
            String password = line.substring(colon + 1);
            if (PasswordHash.isHash(password)) {
                hashed.add(line);
                kept++;
            } else {
                hashed.add(user + ":" + hash.apply(password.getBytes(StandardCharsets.UTF_8)));
            }
        }
        lines.clear();
        lines.addAll(hashed);
        return kept;
    }

    /** The lines, in order, without line breaks. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The index of a user's line, or -1. */
    private int indexOf(String user) {
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            int colon = text.indexOf(':');
            if (isSignificant(text) && colon >= 0 && text.substring(0, colon).strip().equals(user)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a line says something: not blank, not a comment (as the broker reads the file). */
    private static boolean isSignificant(String line) {
        String text = line.strip();
        return !text.isEmpty() && !text.startsWith("#");
    }
}
