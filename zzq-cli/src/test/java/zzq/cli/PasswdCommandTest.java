package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.engine.auth.PasswordFile;

/**
 * {@code zzq passwd} alone: what it writes verifies with the engine's {@link PasswordFile}, edits keep every other
 * line, and each wrong use is refused with its message and exit code, the file left as it was. (Against Mosquitto
 * itself: {@link PasswdMosquittoTest}.)
 */
@Timeout(60)
class PasswdCommandTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path file() {
        return dir.resolve("passwd");
    }

    /** {@code zzq passwd ARGS...} with this standard input (never a terminal); the finished run. */
    static CliRun passwd(String stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("passwd"));
        all.addAll(List.of(args));
        return CliRun.run(stdin, all.toArray(new String[0]));
    }

    /** The run ended with this exit code and this one line on stderr (none when empty), nothing on stdout. */
    private static void assertRun(int exit, String err, CliRun run) throws Exception {
        assertEquals(exit, run.awaitExit(), run.err());
        assertEquals(err.isEmpty() ? "" : err + "\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void createsAFileThatVerifiesAndIsReadableByItsOwnerOnly() throws Exception {
        assertRun(0, "", passwd("", "-c", "-b", file().toString(), "alice", "s3cret"));
        PasswordFile pf = PasswordFile.load(file());
        assertTrue(pf.verify("alice", b("s3cret")));
        assertFalse(pf.verify("alice", b("s3cret ")));
        assertTrue(Files.readString(file()).startsWith("alice:$7$101$"), Files.readString(file()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    @Test
    void readsOneLineOfStandardInputWhenItIsNotATerminal() throws Exception {
        assertRun(0, "", passwd("pässwörd ✓\r\nignored\n", "--create", file().toString(), "bob"));
        assertRun(0, "", passwd("last", file().toString(), "carol"));
        PasswordFile pf = PasswordFile.load(file());
        assertTrue(pf.verify("bob", b("pässwörd ✓")));
        assertTrue(pf.verify("carol", b("last")));
        assertRun(1, "zzq passwd: no password on standard input (it is not a terminal, so its first line is the"
                + " password)", passwd("", file().toString(), "dave"));
        assertRun(1, "zzq passwd: the password is empty (set an empty one with -b FILE USER '')",
                passwd("\n", file().toString(), "dave"));
        assertFalse(PasswordFile.load(file()).contains("dave"));
    }

    @Test
    void updatingAUserKeepsEveryOtherLineInOrder() throws Exception {
        Files.writeString(file(), "# users\n" + PasswordFile.hash("alice", b("a"), 1) + "\n\n"
                + PasswordFile.hash("bob", b("old"), 1) + "\n# end\n" + PasswordFile.hash("carol", b("c"), 1) + "\n");
        List<String> before = Files.readAllLines(file());
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r-----"));
        assertRun(0, "", passwd("", "-b", "-I", "7", file().toString(), "bob", "new"));
        List<String> after = Files.readAllLines(file());
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            if (i != 3) {
                assertEquals(before.get(i), after.get(i), "line " + (i + 1));
            }
        }
        assertTrue(after.get(3).startsWith("bob:$7$7$"), after.get(3));
        PasswordFile pf = PasswordFile.load(file());
        assertTrue(pf.verify("bob", b("new")));
        assertFalse(pf.verify("bob", b("old")));
        assertTrue(pf.verify("alice", b("a")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
        // a new user goes at the end; -H sha512 writes Mosquitto 1.6's $6$
        assertRun(0, "", passwd("", "-b", "-H", "sha512", file().toString(), "dave", "d"));
        List<String> added = Files.readAllLines(file());
        assertEquals(after, added.subList(0, after.size()));
        assertTrue(added.get(after.size()).startsWith("dave:$6$"), added.toString());
        assertTrue(PasswordFile.load(file()).verify("dave", b("d")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file()), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void deleteRemovesOnlyThatUser() throws Exception {
        Files.writeString(file(), PasswordFile.hash("alice", b("a"), 1) + "\n# keep\n"
                + PasswordFile.hash("bob", b("b"), 1) + "\n");
        List<String> before = Files.readAllLines(file());
        assertRun(0, "", passwd("", "-D", file().toString(), "alice"));
        assertEquals(before.subList(1, 3), Files.readAllLines(file()));
        assertRun(1, "zzq passwd: user 'alice' is not in '" + file() + "'", passwd("", "-D", file().toString(),
                "alice"));
        assertEquals(before.subList(1, 3), Files.readAllLines(file()));
    }

    @Test
    void createOverwritesAndKeepsTheFilesPermissions() throws Exception {
        Files.writeString(file(), PasswordFile.hash("alice", b("a"), 1) + "\n");
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-rw----"));
        assertRun(0, "", passwd("", "-c", "-b", file().toString(), "bob", "b"));
        assertEquals(1, Files.readAllLines(file()).size());
        assertTrue(PasswordFile.load(file()).verify("bob", b("b")));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));
    }

    /** A file a broker reads through its group (root:mosquitto 0640) must stay in that group. */
    @Test
    void keepsTheFilesGroup() throws Exception {
        Files.writeString(file(), PasswordFile.hash("alice", b("a"), 1) + "\n");
        PosixFileAttributeView view = Files.getFileAttributeView(file(), PosixFileAttributeView.class);
        GroupPrincipal own = view.readAttributes().group();
        GroupPrincipal other = null;
        for (String name : List.of("daemon", "bin", "sys", "adm", "users", "nogroup")) {
            try {
                GroupPrincipal candidate = file().getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(name);
                if (!candidate.equals(own)) {
                    view.setGroup(candidate);
                    other = candidate;
                    break;
                }
            } catch (IOException notThisOne) {
                // no such group here, or not one this user may give a file: try the next
            }
        }
        assumeTrue(other != null, "needs a second group this user may give a file (root, or a member of two)");
        assertRun(0, "", passwd("", "-b", file().toString(), "bob", "b"));
        assertEquals(other, Files.readAttributes(file(), PosixFileAttributes.class).group());
        assertTrue(PasswordFile.load(file()).verify("bob", b("b")));
    }

    @Test
    void followsASymbolicLinkAndReplacesTheFileItNames() throws Exception {
        Path real = Files.writeString(dir.resolve("real"), PasswordFile.hash("alice", b("a"), 1) + "\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertRun(0, "", passwd("", "-b", link.toString(), "bob", "b"));
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(PasswordFile.load(real).verify("bob", b("b")));
    }

    @Test
    void hashesAPlainTextFileKeepingHashesAndComments() throws Exception {
        String hashed = PasswordFile.hash("carol", b("c"), 1);
        Files.writeString(file(), "# plain\nalice:a:b c \n\n" + hashed + "\nbob:\n");
        assertRun(0, "zzq passwd: kept 1 line that holds a hash already", passwd("", "-U", file().toString()));
        List<String> lines = Files.readAllLines(file());
        assertEquals("# plain", lines.get(0));
        assertEquals("", lines.get(2));
        assertEquals(hashed, lines.get(3));
        PasswordFile pf = PasswordFile.load(file());
        assertTrue(pf.verify("alice", b("a:b c ")), "everything after the first ':' is the password");
        assertTrue(pf.verify("bob", b("")));
        assertTrue(pf.verify("carol", b("c")));
        // a second -U changes nothing: hashes are not hashed again
        List<String> once = Files.readAllLines(file());
        assertRun(0, "zzq passwd: kept 3 lines that hold a hash already", passwd("", "-U", file().toString()));
        assertEquals(once, Files.readAllLines(file()));
    }

    @Test
    void plainTextErrorsNameTheLineAndLeaveTheFile() throws Exception {
        for (String[] bad : List.of(
                new String[] {"alice:a\nnocolon\n", ":2: missing ':' between user name and password"},
                new String[] {"alice:a\n#x\nalice:b\n", ":3: user 'alice' is also on line 1"},
                new String[] {" alice:a\n", ":1: the user name starts or ends with a blank"})) {
            Files.writeString(file(), bad[0]);
            assertRun(1, "zzq passwd: " + file() + bad[1] + " (the file is unchanged)",
                    passwd("", "-U", file().toString()));
            assertEquals(bad[0], Files.readString(file()));
        }
    }

    @Test
    void aMalformedFileIsNotEdited() throws Exception {
        String text = "alice:plain-text\n";
        Files.writeString(file(), text);
        assertRun(1, "zzq passwd: " + file() + ":1: password hash must start with $6$ or $7$ (the file is unchanged)",
                passwd("", "-b", file().toString(), "bob", "b"));
        assertEquals(text, Files.readString(file()));
    }

    @Test
    void failures() throws Exception {
        Path missing = dir.resolve("missing");
        assertRun(1, "zzq passwd: the password file '" + missing + "' does not exist (-c creates it)",
                passwd("", "-b", missing.toString(), "alice", "a"));
        assertRun(1, "zzq passwd: the password file '" + missing + "' does not exist (-c creates it)",
                passwd("", "-U", missing.toString()));
        assertFalse(Files.exists(missing));
        Path noDir = dir.resolve("no/such/dir/passwd");
        assertRun(1, "zzq passwd: cannot write '" + noDir + "': no such directory",
                passwd("", "-c", "-b", noDir.toString(), "alice", "a"));
    }

    @Test
    void usageErrors() throws Exception {
        String f = file().toString();
        String[][] cases = {
                {"missing FILE"},
                {"missing USER", f},
                {"missing USER", "-c", f},
                {"-c and -D cannot be used together", "-c", "-D", f, "u"},
                {"-U and -c cannot be used together", "-U", "-c", f},
                {"unexpected argument 'u': -U takes FILE only", "-U", f, "u"},
                {"-D and -b cannot be used together", "-D", "-b", f, "u", "p"},
                {"-D and -H cannot be used together", "-D", "-H", "sha512", f, "u"},
                {"missing PASSWORD (-b takes it as an argument)", "-b", f, "u"},
                {"unexpected argument: PASSWORD is given with -b only", f, "u", "s3cret"},
                {"-H is sha512-pbkdf2 or sha512, not 'md5'", "-H", "md5", "-b", f, "u", "p"},
                {"-I is for sha512-pbkdf2 only", "-H", "sha512", "-I", "5", "-b", f, "u", "p"},
                {"-I must be from 1 to 2147483647, not 0", "-I", "0", "-b", f, "u", "p"},
                {"-I needs a whole number, not 'many'", "-I", "many", "-b", f, "u", "p"},
                {"USER contains ':', which separates the user name from the password", "-c", "-b", f, "a:b", "p"},
                {"USER is empty", "-c", "-b", f, "", "p"},
                {"USER contains a control character", "-c", "-b", f, "a\nb", "p"},
                {"USER starts with '#', which starts a comment", "-c", "-b", f, "#a", "p"},
                {"unexpected argument 'x' (expected FILE [USER [PASSWORD]])", "-b", f, "u", "p", "x"},
        };
        for (String[] c : cases) {
            CliRun run = passwd("", Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, run.awaitExit(), String.join(" ", c));
            assertTrue(run.err().startsWith("zzq passwd: " + c[0] + "\nUsage: zzq passwd "), run.err());
            assertFalse(run.err().contains("s3cret"), "a password is never printed");
        }
        assertFalse(Files.exists(file()));
    }

    @Test
    void aUserNamedLikeAFlagAfterDoubleDash() throws Exception {
        assertRun(0, "", passwd("", "-c", "-b", "--", file().toString(), "-D", "pw"));
        assertTrue(PasswordFile.load(file()).verify("-D", b("pw")));
    }

    /** On a terminal the password is asked twice, as mosquitto_passwd asks; a mismatch writes nothing. */
    @Test
    void terminalAsksTwice() throws Exception {
        FakeTerminal terminal = new FakeTerminal("typed", "typed");
        assertEquals(0, runOnTerminal(terminal, "-c", file().toString(), "alice"));
        assertEquals(List.of("Password: ", "Reenter password: "), terminal.prompts);
        assertTrue(PasswordFile.load(file()).verify("alice", b("typed")));

        List<String> before = Files.readAllLines(file());
        CommandException mismatch = assertThrows(CommandException.class,
                () -> runOnTerminal(new FakeTerminal("one", "two"), file().toString(), "alice"));
        assertEquals(1, mismatch.exitCode());
        assertEquals("passwords do not match", mismatch.getMessage());
        CommandException empty = assertThrows(CommandException.class,
                () -> runOnTerminal(new FakeTerminal(""), file().toString(), "alice"));
        assertEquals("the password is empty (set an empty one with -b FILE USER '')", empty.getMessage());
        CommandException ended = assertThrows(CommandException.class,
                () -> runOnTerminal(new FakeTerminal(), file().toString(), "alice"));
        assertEquals("no password given", ended.getMessage());
        assertEquals(before, Files.readAllLines(file()));
    }

    /** Runs the command with this terminal, and standard input that must not be read. */
    private static int runOnTerminal(Terminal terminal, String... args) throws CommandException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        Console console = new Console(new ByteArrayInputStream(b("from stdin\n")), out, out);
        int exit = new PasswdCommand(c -> Optional.of(terminal)).run(List.of(args), console);
        assertEquals("", sink.toString(StandardCharsets.UTF_8));
        return exit;
    }

    /** Answers each prompt with the next of its lines; {@code null} (end of input) when none is left. */
    private static final class FakeTerminal implements Terminal {
        private final Deque<String> answers;
        private final List<String> prompts = new ArrayList<>();

        FakeTerminal(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public char[] readPassword(String prompt) {
            prompts.add(prompt);
            String next = answers.poll();
            return next == null ? null : next.toCharArray();
        }
    }
}
