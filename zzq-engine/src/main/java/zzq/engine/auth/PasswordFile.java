package zzq.engine.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import zzq.api.spi.Authenticator;
import zzq.api.spi.ConnectRequest;
import zzq.codec.ReasonCode;

/**
 * A Mosquitto-compatible password file, as written by {@code mosquitto_passwd}; immutable and safe to share between
 * threads.
 *
 * <p>Each line is {@code username:hash}, where the hash is either
 * {@code $7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes)>}
 * (Mosquitto 2.0's default, 101 iterations, 12-byte salt) or the older
 * {@code $6$<base64 salt>$<base64 SHA-512(password || salt)>}. Base64 is the standard alphabet with padding. Salts of
 * 12 or 64 bytes are accepted, as Mosquitto does. Blank lines and lines starting with '#' are ignored; every other
 * malformed line is refused with an {@link AuthFileException} naming the file and line.
 *
 * <p>{@link PasswordHash} writes the hashes ({@code zzq passwd} uses it).
 */
public final class PasswordFile implements Authenticator {

    /** Mosquitto's default PBKDF2 iteration count ({@code mosquitto_passwd -I}). */
    public static final int DEFAULT_ITERATIONS = 101;

    private static final int SALT_LENGTH = PasswordHash.SALT_LENGTH;
    private static final int HASH_LENGTH = PasswordHash.HASH_LENGTH;

    /** One user's stored hash; {@code iterations} is 0 for the SHA-512 ({@code $6$}) form. */
    private record Entry(int iterations, byte[] salt, byte[] hash) {
        byte[] derive(byte[] password) {
            return iterations == 0 ? PasswordHash.deriveSha512(password, salt)
                    : PasswordHash.derivePbkdf2(password, salt, iterations);
        }
    }

    private final Map<String, Entry> entries;
    /**
     * Derived for unknown users, at the cost of the file's most expensive entry, so that timing a wrong password
     * does not tell whether the user exists. (Entries stored at a lower cost still verify faster: keep one cost.)
     */
    private final Entry dummy;

    private PasswordFile(Map<String, Entry> entries) {
        this.entries = entries;
        int cost = entries.isEmpty() ? DEFAULT_ITERATIONS
                : entries.values().stream().mapToInt(Entry::iterations).max().orElse(DEFAULT_ITERATIONS);
        this.dummy = new Entry(cost, new byte[SALT_LENGTH], new byte[HASH_LENGTH]);
    }

    /**
     * Reads and parses a password file (UTF-8).
     *
     * @param file the file
     * @return the parsed file
     * @throws AuthFileException if a line is malformed; names the file and line
     * @throws IOException if the file cannot be read
     */
    public static PasswordFile load(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the lines of a password file.
     *
     * @param file the file name used in error messages
     * @param lines the lines
     * @return the parsed file
     * @throws AuthFileException if a line is malformed or a username repeats; names the file and line
     */
    public static PasswordFile parse(Path file, List<String> lines) throws AuthFileException {
        Map<String, Entry> entries = new HashMap<>();
        for (FileLine significant : FileLine.significant(lines)) {
            int lineNo = significant.number();
            String line = significant.text();
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new AuthFileException(file, lineNo, "missing ':' between username and password hash");
            }
            String username = line.substring(0, colon).strip();
            if (username.isEmpty()) {
                throw new AuthFileException(file, lineNo, "empty username");
            }
            Entry entry = parseHash(file, lineNo, line.substring(colon + 1).strip());
            if (entries.putIfAbsent(username, entry) != null) {
                throw new AuthFileException(file, lineNo, "duplicate username '" + username + "'");
            }
        }
        return new PasswordFile(Map.copyOf(entries));
    }

    private static Entry parseHash(Path file, int lineNo, String field) throws AuthFileException {
        String[] parts = field.split("\\$", -1);
        // "$7$i$s$h" splits to ["", "7", i, s, h]; "$6$s$h" to ["", "6", s, h]
        if (parts.length < 2 || !parts[0].isEmpty()) {
            throw new AuthFileException(file, lineNo, "password hash must start with $6$ or $7$");
        }
        int iterations;
        int saltIndex;
        switch (parts[1]) {
            case "7" -> {
                if (parts.length != 5) {
                    throw new AuthFileException(file, lineNo, "expected $7$<iterations>$<salt>$<hash>");
                }
                try {
                    iterations = Integer.parseInt(parts[2]);
                } catch (NumberFormatException e) {
                    iterations = -1;
                }
                if (iterations < 1) {
                    throw new AuthFileException(file, lineNo, "invalid iteration count '" + parts[2] + "'");
                }
                saltIndex = 3;
            }
            case "6" -> {
                if (parts.length != 4) {
                    throw new AuthFileException(file, lineNo, "expected $6$<salt>$<hash>");
                }
                iterations = 0;
                saltIndex = 2;
            }
            default -> throw new AuthFileException(file, lineNo,
                    "unknown password hash type '$" + parts[1] + "$' (expected $6$ or $7$)");
        }
        byte[] salt = base64(file, lineNo, "salt", parts[saltIndex]);
        if (salt.length != SALT_LENGTH && salt.length != HASH_LENGTH) {
            throw new AuthFileException(file, lineNo, "salt is " + salt.length + " bytes, expected 12 or 64");
        }
        byte[] hash = base64(file, lineNo, "hash", parts[saltIndex + 1]);
        if (hash.length != HASH_LENGTH) {
            throw new AuthFileException(file, lineNo, "hash is " + hash.length + " bytes, expected 64");
        }
        return new Entry(iterations, salt, hash);
    }

    private static byte[] base64(Path file, int lineNo, String what, String text) throws AuthFileException {
        if (text.isEmpty()) {
            throw new AuthFileException(file, lineNo, "empty " + what);
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new AuthFileException(file, lineNo, "bad base64 in " + what + ": " + e.getMessage());
        }
    }

    /**
     * Checks a username and password. An unknown user costs one derivation at the file's highest cost, so timing
     * does not reveal which users exist; hashes are compared in constant time.
     *
     * @param username the username from CONNECT (null never verifies)
     * @param password the password bytes from CONNECT (null never verifies)
     * @return whether the user exists and the password matches
     */
    public boolean verify(String username, byte[] password) {
        Entry entry = username == null ? null : entries.get(username);
        byte[] pw = password == null ? new byte[0] : password;
        if (entry == null || password == null) {
            MessageDigest.isEqual(dummy.derive(pw), dummy.hash);
            return false;
        }
        return MessageDigest.isEqual(entry.derive(pw), entry.hash);
    }

    /**
     * As the broker's {@link Authenticator}: a client that gives a user name must give that user's password; one
     * without a user name passes here (whether anonymous clients may connect is the broker's
     * {@code allowAnonymous}). A wrong password is {@link ReasonCode#BAD_USER_NAME_OR_PASSWORD}.
     */
    @Override
    public ReasonCode authenticate(ConnectRequest request) {
        if (request.username() == null) {
            return null;
        }
        byte[] password = request.password() == null ? null : request.password().toByteArray();
        return verify(request.username(), password) ? null : ReasonCode.BAD_USER_NAME_OR_PASSWORD;
    }

    /**
     * @param username a username
     * @return whether the file has an entry for it
     */
    public boolean contains(String username) {
        return entries.containsKey(username);
    }

    /** @return the usernames in the file */
    public Set<String> usernames() {
        return entries.keySet();
    }

    /**
     * Produces a password file line in Mosquitto's {@code $7$} form with a fresh random 12-byte salt
     * ({@link PasswordHash#pbkdf2}).
     *
     * @param username the username: one that {@link PasswordHash#usernameProblem} accepts
     * @param password the password bytes
     * @param iterations the PBKDF2 iteration count, at least 1 ({@link #DEFAULT_ITERATIONS} is Mosquitto's default)
     * @return {@code username:$7$<iterations>$<salt>$<hash>}, without a line terminator
     */
    public static String hash(String username, byte[] password, int iterations) {
        Optional<String> problem = PasswordHash.usernameProblem(username);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("username cannot be stored in a password file: '" + username + "' "
                    + problem.get());
        }
        return username + ":" + PasswordHash.pbkdf2(password, iterations);
    }

    @Override
    public String toString() {
        return "PasswordFile[" + entries.size() + " users]";
    }
}
