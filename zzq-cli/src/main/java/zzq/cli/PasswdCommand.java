package zzq.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import zzq.engine.auth.AuthFileException;
import zzq.engine.auth.PasswordFile;
import zzq.engine.auth.PasswordHash;

/**
 * {@code zzq passwd}: writes and updates Mosquitto password files with the flags and shapes of
 * {@code mosquitto_passwd}. See {@link #usage()} for the behaviour and the exit codes.
 */
final class PasswdCommand implements Command {
    /** {@code -H}'s default: Mosquitto 2's {@code $7$}. */
    static final String PBKDF2 = "sha512-pbkdf2";
    /** {@code -H sha512}: Mosquitto 1.6's {@code $6$}. */
    static final String SHA512 = "sha512";

    /** The flags, in help order. */
    static final List<Flag> FLAGS = List.of(
            Flag.value("hash", "HASH", PBKDF2 + " ($7$, Mosquitto 2's, the default) or " + SHA512
                    + "\n($6$, Mosquitto 1.6's, much weaker)").alias("H"),
            Flag.value("iterations", "N", "PBKDF2 iterations of " + PBKDF2 + " (default "
                    + PasswordFile.DEFAULT_ITERATIONS + ")").alias("I"),
            Flag.toggle("create", "create FILE, or overwrite it when it exists").alias("c"),
            Flag.toggle("delete", "delete USER rather than set its password").alias("D"),
            Flag.toggle("batch", "take the password from the command line (PASSWORD); it shows\n"
                    + "in the process list and the shell's history").alias("b"),
            Flag.toggle("update-plain", "hash every plain-text password of FILE (USER:PASSWORD lines)").alias("U"),
            Flag.HELP);

    /** The operands, in order. */
    static final List<Operand> OPERANDS = List.of(
            Operand.required("FILE", "the password file"),
            Operand.optional("USER", "the user whose password is set (or deleted with -D)"),
            Operand.optional("PASSWORD", "the password, with -b only"));

    /**
     * What the arguments ask for.
     *
     * @param file       the password file
     * @param user       the user to set or delete; {@code null} with {@code -U}
     * @param password   the password given with {@code -b}; {@code null} when it is to be read
     * @param create     {@code -c}: start from an empty file
     * @param delete     {@code -D}
     * @param plainText  {@code -U}
     * @param sha512     {@code -H sha512}: write {@code $6$} hashes rather than {@code $7$}
     * @param iterations the PBKDF2 iterations of {@code $7$} hashes
     */
    record Settings(Path file, String user, String password, boolean create, boolean delete, boolean plainText,
                    boolean sha512, int iterations) {
        /** A password's hash field, as {@code -H} and {@code -I} ask. */
        String hash(byte[] password) {
            return sha512 ? PasswordHash.sha512(password) : PasswordHash.pbkdf2(password, iterations);
        }
    }

    /** Where a password is asked for when {@code -b} does not give it: the process's terminal, if any. */
    private final Function<Console, Optional<Terminal>> terminal;

    /** The command as {@code zzq} runs it: it asks on the process's terminal. */
    PasswdCommand() {
        this(Terminal::of);
    }

    /** The command asking on this terminal (a test's), or reading standard input when it gives none. */
    PasswdCommand(Function<Console, Optional<Terminal>> terminal) {
        this.terminal = terminal;
    }

    @Override
    public String name() {
        return "passwd";
    }

    @Override
    public String summary() {
        return "write Mosquitto password files, with mosquitto_passwd's flags";
    }

    @Override
    public String usage() {
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("zzq passwd [-H HASH] [-I N] [-c | -D] FILE USER", "set USER's password, asked for; or delete USER");
        shapes.put("zzq passwd [-H HASH] [-I N] [-c] -b FILE USER PASSWORD", "set USER's password to PASSWORD");
        shapes.put("zzq passwd [-H HASH] [-I N] -U FILE", "hash FILE's plain-text passwords");
        return "Usage: zzq passwd [flags] " + Operand.synopsis(OPERANDS) + "\n" + HelpTable.of(shapes) + "\n"
                + "Writes Mosquitto password files as mosquitto_passwd does. Without -c, FILE must exist; every line\n"
                + "but USER's (other users, comments, blank lines) is kept, in order. FILE is replaced at once (a\n"
                + "temporary file in its directory, renamed over it) and keeps its permissions; a new file is\n"
                + "readable by its owner only (0600). Passwords are never printed.\n\n"
                + "Without -b the password is asked for twice, without echo, on the terminal. When standard input\n"
                + "is not a terminal, its first line is the password, read once (printf '%s\\n' \"$PW\" | zzq passwd\n"
                + "FILE USER); an empty password is refused then, as on the terminal.\n\n"
                + "Arguments (-- ends the flags, for a USER that starts with '-'):\n" + Operand.table(OPERANDS)
                + "\nFlags (-x, --flag VALUE or --flag=VALUE):\n" + Flag.table(FLAGS)
                + "\nExit status: 0 when FILE was written; 1 when it was not: FILE missing without -c, USER not in\n"
                + "FILE with -D, a malformed line in FILE, passwords that do not match, or FILE not writable; 2 for\n"
                + "bad flags or arguments (mosquitto_passwd: 1 for all).\n";
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = Args.parse(FLAGS, OPERANDS, args);
        if (Command.printedHelp(parsed, console, usage())) {
            return 0;
        }
        Settings settings = settings(parsed);
        try {
            if (settings.plainText()) {
                hashPlainText(settings, console);
            } else {
                setOrDelete(settings, console);
            }
        } catch (AuthFileException e) {
            throw CommandException.failure(e.getMessage() + " (the file is unchanged)"); // names the file and line
        } catch (NoSuchFileException e) {
            throw CommandException.failure("cannot write '" + settings.file() + "': no such directory");
        } catch (AccessDeniedException e) {
            throw CommandException.failure("cannot write '" + settings.file() + "': permission denied");
        } catch (FileSystemException e) {
            throw CommandException.failure("cannot write '" + settings.file() + "': "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        } catch (IOException e) {
            throw CommandException.failure("cannot write '" + settings.file() + "': " + e.getMessage());
        }
        return 0;
    }

    /**
     * Turns parsed arguments into settings, refusing the combinations {@code mosquitto_passwd} refuses.
     *
     * @throws CommandException a usage error naming the flag or argument at fault
     */
    static Settings settings(Args args) throws CommandException {
        boolean plainText = args.has("update-plain");
        boolean delete = args.has("delete");
        boolean batch = args.has("batch");
        exclusive(args, "create", "delete");
        if (plainText) {
            exclusive(args, "update-plain", "create");
            exclusive(args, "update-plain", "delete");
            exclusive(args, "update-plain", "batch");
            if (args.operand("USER").isPresent()) {
                throw CommandException.usage("unexpected argument '" + args.operand("USER").get() + "': "
                        + args.label("update-plain") + " takes FILE only");
            }
        } else if (args.operand("USER").isEmpty()) {
            throw CommandException.usage("missing USER");
        }
        if (delete) {
            exclusive(args, "delete", "batch");
            exclusive(args, "delete", "hash");
            exclusive(args, "delete", "iterations");
        }
        Optional<String> password = args.operand("PASSWORD");
        if (batch && password.isEmpty()) {
            throw CommandException.usage("missing PASSWORD (" + args.label("batch") + " takes it as an argument)");
        }
        if (!batch && password.isPresent()) {
            throw CommandException.usage("unexpected argument: PASSWORD is given with " + args.label("batch")
                    + " only");
        }
        String hash = args.value("hash").orElse(PBKDF2);
        if (!hash.equals(PBKDF2) && !hash.equals(SHA512)) {
            throw CommandException.usage(args.label("hash") + " is " + PBKDF2 + " or " + SHA512 + ", not '" + hash
                    + "'");
        }
        boolean sha512 = hash.equals(SHA512);
        if (sha512 && args.has("iterations")) {
            throw CommandException.usage(args.label("iterations") + " is for " + PBKDF2 + " only");
        }
        long iterations = args.number("iterations").orElse(PasswordFile.DEFAULT_ITERATIONS);
        if (iterations < 1 || iterations > Integer.MAX_VALUE) {
            throw CommandException.usage(args.label("iterations") + " must be from 1 to " + Integer.MAX_VALUE
                    + ", not " + iterations);
        }
        String user = args.operand("USER").orElse(null);
        if (user != null) {
            Optional<String> problem = PasswordHash.usernameProblem(user);
            if (problem.isPresent()) {
                throw CommandException.usage("USER " + problem.get());
            }
        }
        Path file;
        try {
            file = Path.of(args.operand("FILE").orElseThrow());
        } catch (InvalidPathException e) {
            throw CommandException.usage("FILE: " + e.getMessage());
        }
        return new Settings(file, user, password.orElse(null), args.has("create"), delete, plainText, sha512,
                (int) iterations);
    }

    /** A usage error when both flags are given. */
    private static void exclusive(Args args, String a, String b) throws CommandException {
        if (args.has(a) && args.has(b)) {
            throw CommandException.usage(args.label(a) + " and " + args.label(b) + " cannot be used together");
        }
    }

    /** Sets USER's password, or deletes USER. The file is checked before a password is asked for. */
    private void setOrDelete(Settings settings, Console console) throws CommandException, IOException {
        PasswordLines lines = settings.create() ? PasswordLines.none(settings.file()) : existing(settings.file());
        if (settings.delete()) {
            if (!lines.remove(settings.user())) {
                throw CommandException.failure("user '" + settings.user() + "' is not in '" + settings.file() + "'");
            }
        } else {
            byte[] password = settings.password() != null ? settings.password().getBytes(StandardCharsets.UTF_8)
                    : NewPassword.read(terminal.apply(console), console.in());
            lines.put(settings.user(), settings.hash(password));
        }
        FileReplacement.write(settings.file(), lines.lines());
    }

    /** {@code -U}: hashes the file's plain-text passwords. */
    private static void hashPlainText(Settings settings, Console console) throws CommandException, IOException {
        PasswordLines lines = read(settings.file());
        int kept = lines.hashPlainText(settings::hash);
        FileReplacement.write(settings.file(), lines.lines());
        if (kept > 0) {
            console.err().println("zzq passwd: kept " + kept + (kept == 1 ? " line that holds" : " lines that hold")
                    + " a hash already");
        }
    }

    /** An existing password file, checked to be one the broker reads. */
    private static PasswordLines existing(Path file) throws CommandException, AuthFileException {
        PasswordLines lines = read(file);
        lines.check();
        return lines;
    }

    /** Reads a file that must exist; every failure is a message that names it. */
    private static PasswordLines read(Path file) throws CommandException {
        if (!Files.exists(file)) {
            throw CommandException.failure("the password file '" + file + "' does not exist (-c creates it)");
        }
        try {
            return PasswordLines.read(file);
        } catch (AccessDeniedException e) {
            throw CommandException.failure("cannot read '" + file + "': permission denied");
        } catch (CharacterCodingException e) {
            throw CommandException.failure("cannot read '" + file + "': it is not UTF-8 text");
        } catch (IOException e) {
            throw CommandException.failure("cannot read '" + file + "': " + e.getMessage());
        }
    }
}
