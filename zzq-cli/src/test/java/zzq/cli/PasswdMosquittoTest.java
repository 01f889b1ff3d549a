package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.engine.auth.PasswordFile;

/**
 * {@code zzq passwd} against the real peers: a real Mosquitto broker accepts the files it writes (right password
 * in, wrong one refused), and lines {@code mosquitto_passwd} wrote survive a {@code zzq passwd} edit, and the
 * other way round.
 */
@Timeout(120)
class PasswdMosquittoTest {
    private static final String MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd";

    @TempDir
    Path dir;

    private static void zzqPasswd(String stdin, String... args) throws Exception {
        CliRun run = PasswdCommandTest.passwd(stdin, args);
        assertEquals(0, run.awaitExit(), run.err());
    }

    private static void mosquittoPasswd(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(MOSQUITTO_PASSWD));
        command.addAll(List.of(args));
        MosquittoBroker.Result r = MosquittoBroker.run(command.toArray(new String[0]));
        assertEquals(0, r.exit(), r.output());
    }

    /** A real Mosquitto broker that lets in only the users of this password file. */
    private MosquittoBroker mosquittoWith(Path passwordFile) throws Exception {
        return MosquittoBroker.start(dir, "password_file " + passwordFile, "allow_anonymous false");
    }

    /**
     * mosquitto_pub exits with this code connecting as each user with its password: 0 when let in, 5 (not
     * authorised) when refused.
     */
    private static void assertConnect(MosquittoBroker mosquitto, int exit, String... userThenPassword)
            throws Exception {
        for (int i = 0; i < userThenPassword.length; i += 2) {
            MosquittoBroker.Result r = MosquittoBroker.run(MosquittoBroker.PUB, "-h", "127.0.0.1", "-p",
                    Integer.toString(mosquitto.port()), "-V", "mqttv311", "-u", userThenPassword[i], "-P",
                    userThenPassword[i + 1], "-t", "t", "-m", "x");
            assertEquals(exit, r.exit(), userThenPassword[i] + ": " + r.output());
        }
    }

    @Test
    void mosquittoAcceptsWhatZzqPasswdWrites() throws Exception {
        Path file = dir.resolve("passwd");
        String f = file.toString();
        zzqPasswd("", "-c", "-b", f, "alice", "pässwörd");
        zzqPasswd("", "-b", "-H", "sha512", f, "legacy", "old school");
        zzqPasswd("piped\n", "-I", "1000", f, "bob");
        // a plain-text line added by hand, then hashed by -U (the hashed lines are kept as they are)
        Files.writeString(file, Files.readString(file) + "carol:c:olon\n");
        zzqPasswd("", "-U", f);
        try (MosquittoBroker mosquitto = mosquittoWith(file)) {
            assertConnect(mosquitto, 0, "alice", "pässwörd", "legacy", "old school", "bob", "piped",
                    "carol", "c:olon");
            assertConnect(mosquitto, 5, "alice", "password", "bob", "piped\n", "nobody", "piped");
            // zzq's own client, too
            CliRun in = CliRun.run("", mosquitto.args("pub", "-t", "t", "-m", "x", "-u", "legacy", "-P",
                    "old school"));
            assertEquals(0, in.awaitExit(), in.err());
            CliRun refused = CliRun.run("", mosquitto.args("pub", "-t", "t", "-m", "x", "-V", "311", "-u", "legacy",
                    "-P", "old"));
            assertEquals(5, refused.awaitExit(), refused.err());
        }
    }

    @Test
    void mosquittoPasswdLinesSurviveZzqPasswdAndTheOtherWayRound() throws Exception {
        Path file = dir.resolve("passwd");
        String f = file.toString();
        mosquittoPasswd("-c", "-b", f, "alice", "a");
        mosquittoPasswd("-H", "sha512", "-b", f, "legacy", "l");
        mosquittoPasswd("-I", "3", "-b", f, "few", "f");
        // no comment line: mosquitto_passwd 2.0.11 drops a comment and every line after it when it edits a file
        List<String> theirs = Files.readAllLines(file);

        zzqPasswd("", "-b", f, "bob", "b");
        zzqPasswd("", "-b", f, "few", "f2");
        List<String> ours = Files.readAllLines(file);
        assertEquals(4, ours.size(), ours.toString());
        assertEquals(List.of(theirs.get(0), theirs.get(1)), ours.subList(0, 2));
        assertTrue(ours.get(2).startsWith("few:$7$101$"), ours.toString());
        assertTrue(ours.get(3).startsWith("bob:$7$"), ours.toString());

        // mosquitto_passwd edits a file zzq passwd wrote, keeping zzq's lines
        mosquittoPasswd("-b", f, "carol", "c");
        List<String> after = Files.readAllLines(file);
        assertEquals(ours, after.subList(0, 4));
        assertTrue(after.get(4).startsWith("carol:$7$101$"), after.toString());

        PasswordFile pf = PasswordFile.load(file);
        for (String[] userAndPassword : List.of(new String[] {"alice", "a"}, new String[] {"legacy", "l"},
                new String[] {"few", "f2"}, new String[] {"bob", "b"}, new String[] {"carol", "c"})) {
            assertTrue(pf.verify(userAndPassword[0], userAndPassword[1].getBytes(StandardCharsets.UTF_8)),
                    userAndPassword[0]);
        }
        try (MosquittoBroker mosquitto = mosquittoWith(file)) {
            assertConnect(mosquitto, 0, "alice", "a", "legacy", "l", "few", "f2", "bob", "b", "carol", "c");
            assertConnect(mosquitto, 5, "few", "f");
        }
    }
}
