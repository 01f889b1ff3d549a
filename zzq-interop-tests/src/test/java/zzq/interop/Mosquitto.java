package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Debian/Ubuntu {@code mosquitto-clients} tools as peers. A missing tool fails the test (never skips it): CI
 * installs the package.
 */
final class Mosquitto {
    static final String PUB = "/usr/bin/mosquitto_pub";
    static final String SUB = "/usr/bin/mosquitto_sub";
    static final String PASSWD = "/usr/bin/mosquitto_passwd";
    /** Line-buffers the subscriber's output, so its debug lines (SUBACK) arrive when printed. */
    private static final String STDBUF = "/usr/bin/stdbuf";
    /** Each received message on one line: marker, payload in hex, topic. */
    private static final String FORMAT = "MSG:%x|%t";
    /** The debug line before each message, which tells its QoS and retain flag (2.0.11's -F has neither). */
    private static final java.util.regex.Pattern PUBLISH_LINE =
            java.util.regex.Pattern.compile("received PUBLISH \\(d\\d, q(\\d), r(\\d),");
    private static final String EOF = "\u0000eof";

    private Mosquitto() {
    }

    /** The {@code -V} argument for a protocol version. */
    static String version(zzq.codec.MqttVersion version) {
        return version == zzq.codec.MqttVersion.V5 ? "mqttv5" : "mqttv311";
    }

    static void require(String tool) {
        if (!Files.isExecutable(Path.of(tool))) {
            fail(tool + " is missing: install the apt package mosquitto-clients (CI does)");
        }
    }

    record Result(int exit, String output) {
    }

    /** {@code mosquitto_pub} against 127.0.0.1:port, to completion. */
    static Result pub(int port, String... args) throws Exception {
        require(PUB);
        return run(concat(List.of(PUB, "-h", "127.0.0.1", "-p", Integer.toString(port)), args));
    }

    /** {@code mosquitto_pub} that must succeed. */
    static void pubOk(int port, String... args) throws Exception {
        Result r = pub(port, args);
        assertEquals(0, r.exit(), "mosquitto_pub " + String.join(" ", args) + ": " + r.output());
    }

    /** Runs a command to completion within the timeout; exit code and merged output. */
    static Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile("mosquitto", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile());
            Process p = start(pb, command);
            if (!p.waitFor(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within " + BrokerFixture.WAIT_SECONDS + " s: "
                        + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Process start(ProcessBuilder pb, List<String> command) throws IOException {
        try {
            return pb.start();
        } catch (IOException e) {
            fail(command.get(0) + " could not be started (install the apt package mosquitto-clients): " + e);
            throw e;
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }

    /** One message as {@code mosquitto_sub} printed it. */
    record Received(int qos, boolean retain, byte[] payload, String topic) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /**
     * Starts {@code mosquitto_sub} against 127.0.0.1:port and returns once the broker acknowledged its
     * subscriptions (or it ended: see {@link Sub#awaitExit()}).
     */
    static Sub sub(int port, String... args) throws Exception {
        require(SUB);
        require(STDBUF);
        List<String> command = concat(List.of(STDBUF, "-oL", SUB, "-d", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-F", FORMAT), args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Sub sub = new Sub(start(pb, command), String.join(" ", args));
        sub.awaitSubscribed();
        return sub;
    }

    /** A running {@code mosquitto_sub}: its messages in order, its whole output for failure messages. */
    static final class Sub implements AutoCloseable {
        private final Process process;
        private final String args;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        private Sub(Process process, String args) {
            this.process = process;
            this.args = args;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was ended
                }
                lines.add(EOF);
            }, "mosquitto_sub-output");
            reader.setDaemon(true);
            reader.start();
        }

        private String nextLine() throws InterruptedException {
            String line = lines.poll(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                fail("mosquitto_sub " + args + " printed nothing more within " + BrokerFixture.WAIT_SECONDS
                        + " s; so far: " + output());
            }
            if (line != EOF) {
                seen.add(line);
            } else {
                lines.add(EOF); // stays at the end for the next reader
            }
            return line;
        }

        private void awaitSubscribed() throws InterruptedException {
            for (String line = nextLine(); !line.contains("received SUBACK"); line = nextLine()) {
                if (line == EOF) {
                    return; // refused at CONNECT: awaitExit() tells
                }
            }
        }

        /** The next message printed; fails if none comes in time or the tool ended. */
        Received next() throws InterruptedException {
            int qos = -1;
            boolean retain = false;
            for (String line = nextLine(); ; line = nextLine()) {
                java.util.regex.Matcher m = PUBLISH_LINE.matcher(line);
                if (m.find()) {
                    qos = Integer.parseInt(m.group(1));
                    retain = m.group(2).equals("1");
                }
                if (line == EOF) {
                    fail("mosquitto_sub " + args + " ended before the next message: " + output());
                }
                if (line.startsWith("MSG:")) {
                    String[] f = line.substring(4).split("\\|", 2);
                    return new Received(qos, retain, HexFormat.of().parseHex(f[0]), f[1]);
                }
            }
        }

        /** Waits for the tool to end by itself; its exit code. */
        int awaitExit() throws InterruptedException {
            if (!process.waitFor(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("mosquitto_sub " + args + " did not end: " + output());
            }
            while (nextLine() != EOF) {
                // collect the rest for output()
            }
            return process.exitValue();
        }

        /** Everything printed so far. */
        String output() {
            String all = String.join("\n", seen);
            return all.length() > 4000 ? all.substring(0, 4000) + "..." : all;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
