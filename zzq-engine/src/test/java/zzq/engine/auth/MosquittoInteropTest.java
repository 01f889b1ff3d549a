package zzq.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves interoperability with the real Mosquitto 2.0 tools: files written by {@code mosquitto_passwd} verify here,
 * and lines written by {@link PasswordFile#hash} authenticate against a real {@code mosquitto} broker. Needs the
 * Debian/Ubuntu packages {@code mosquitto} and {@code mosquitto-clients}; fails (does not skip) without them.
 */
class MosquittoInteropTest {

    private static final long TIMEOUT_SECONDS = 20;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs a command to completion within the timeout; returns exit code and merged output. */
    private static Result run(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile(dir, "out", ".txt");
        pb.redirectOutput(out.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail(command[0] + " could not be started (install apt packages mosquitto and mosquitto-clients): " + e);
            throw e;
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private record Result(int exit, String output) {
    }

    @Test
    void verifiesFilesWrittenByMosquittoPasswd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        String pw = "p@ss w0rd!$x";
        Result r = run(dir, "mosquitto_passwd", "-b", "-c", file.toString(), "user", "secret");
        assertEquals(0, r.exit(), r.output());
        r = run(dir, "mosquitto_passwd", "-H", "sha512", "-b", file.toString(), "legacy", pw);
        assertEquals(0, r.exit(), r.output());
        r = run(dir, "mosquitto_passwd", "-H", "sha512-pbkdf2", "-b", file.toString(), "pbkdf2", "secret");
        assertEquals(0, r.exit(), r.output());
        r = run(dir, "mosquitto_passwd", "-H", "sha512-pbkdf2", "-I", "3", "-b", file.toString(), "few", pw);
        assertEquals(0, r.exit(), r.output());

        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("user:$7$101$"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("legacy:$6$")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("few:$7$3$")), lines.toString());

        PasswordFile pf = PasswordFile.load(file);
        assertEquals(java.util.Set.of("user", "legacy", "pbkdf2", "few"), pf.usernames());
        assertTrue(pf.verify("user", b("secret")));
        assertFalse(pf.verify("user", b("secreT")));
        assertFalse(pf.verify("user", b(pw)));
        assertTrue(pf.verify("legacy", b(pw)));
        assertFalse(pf.verify("legacy", b("secret")));
        assertTrue(pf.verify("pbkdf2", b("secret")));
        assertFalse(pf.verify("pbkdf2", b("")));
        assertTrue(pf.verify("few", b(pw)));
        assertFalse(pf.verify("few", b(pw + " ")));
        assertFalse(pf.verify("nobody", b("secret")));
    }

    @Test
    void mosquittoBrokerAcceptsLinesFromHash(@TempDir Path dir) throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, PasswordFile.hash("user", b("secret"), PasswordFile.DEFAULT_ITERATIONS) + "\n"
                + PasswordFile.hash("other", b("p@ss w0rd!"), 17) + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + passwd,
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest stderr",
                "log_type all",
                ""));
        Process broker;
        try {
            broker = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("mosquitto could not be started (install apt package mosquitto): " + e);
            return;
        }
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // the broker was stopped
            }
            log.add("<eof>");
        }, "mosquitto-log");
        reader.setDaemon(true);
        reader.start();
        try {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            boolean running = false;
            while (!running) {
                String line = log.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("<eof>")) {
                    fail("mosquitto did not start: " + seen);
                }
                seen.add(line);
                running = line.contains(" running");
                assertFalse(line.contains("Error"), seen.toString());
            }
            String p = Integer.toString(port);
            Result ok = run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-u", "user", "-P", "secret",
                    "-t", "t", "-m", "x", "-q", "1");
            assertEquals(0, ok.exit(), ok.output());
            Result ok2 = run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-u", "other", "-P", "p@ss w0rd!",
                    "-t", "t", "-m", "x", "-q", "1", "-V", "mqttv5");
            assertEquals(0, ok2.exit(), ok2.output());
            Result wrong = run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-u", "user", "-P", "Secret",
                    "-t", "t", "-m", "x", "-q", "1");
            assertNotEquals(0, wrong.exit(), wrong.output());
            assertTrue(wrong.output().contains("not authori"), wrong.output());
            Result unknown = run(dir, "mosquitto_pub", "-h", "127.0.0.1", "-p", p, "-u", "nobody", "-P", "secret",
                    "-t", "t", "-m", "x", "-q", "1");
            assertNotEquals(0, unknown.exit(), unknown.output());
        } finally {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
