package zzq.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker ({@code /usr/sbin/mosquitto}) on a loopback port, as a peer for {@code zzq pub} and
 * {@code zzq sub}, plus the {@code mosquitto_pub}/{@code mosquitto_sub} tools. A missing program fails the test
 * (never skips it): CI installs the apt packages mosquitto and mosquitto-clients.
 *
 * <p>Mosquitto takes a fixed port, so one is picked free (bound on port 0, then released) and kept across
 * {@link #restart()}s.
 */
final class MosquittoBroker implements AutoCloseable {
    static final String MOSQUITTO = "/usr/sbin/mosquitto";
    static final String PUB = "/usr/bin/mosquitto_pub";
    static final String SUB = "/usr/bin/mosquitto_sub";
    private static final String EOF = "\u0000eof";

    private final Path config;
    private final int port;
    private final List<String> log = new ArrayList<>();
    private Process process;

    private MosquittoBroker(Path config, int port) {
        this.config = config;
        this.port = port;
    }

    /**
     * Starts Mosquitto with these extra configuration lines (after the listener, anonymous access, and logging to
     * stderr), and waits until it runs.
     */
    static MosquittoBroker start(Path dir, String... settings) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> lines = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                // run as whoever runs the tests (as root Mosquitto would switch to the user 'mosquitto')
                "user " + System.getProperty("user.name"),
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information"));
        lines.addAll(Arrays.asList(settings));
        if (Arrays.stream(settings).noneMatch(s -> s.startsWith("allow_anonymous"))) {
            lines.add("allow_anonymous true");
        }
        Path config = Files.write(dir.resolve("mosquitto.conf"), lines);
        MosquittoBroker broker = new MosquittoBroker(config, port);
        broker.launch();
        return broker;
    }

    int port() {
        return port;
    }

    /** {@code zzq ARGS... -h 127.0.0.1 -p PORT}. */
    String[] args(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
        return all.toArray(new String[0]);
    }

    private void launch() throws Exception {
        requireExecutable(MOSQUITTO, "mosquitto");
        process = new ProcessBuilder(MOSQUITTO, "-c", config.toString()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process p = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the broker was stopped
            }
            lines.add(EOF);
        }, "mosquitto-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + CliRun.WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(EOF)) {
                fail("mosquitto did not start: " + log);
            }
            synchronized (log) {
                log.add(line);
            }
            if (line.contains(" running")) {
                return;
            }
        }
    }

    /** Stops Mosquitto as {@code kill} would (SIGTERM: with persistence on, it saves its state first). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(CliRun.WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(CliRun.WAIT.toSeconds(), TimeUnit.SECONDS);
            fail("mosquitto did not stop on SIGTERM: " + log);
        }
    }

    /** Starts Mosquitto again, with the same configuration and port. */
    void restart() throws Exception {
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    static void requireExecutable(String program, String aptPackage) {
        if (!Files.isExecutable(Path.of(program))) {
            fail(program + " is missing: install the apt package " + aptPackage + " (CI does)");
        }
    }

    /** Runs a Mosquitto tool to completion with no input; its exit code and merged output. */
    static Result run(String... command) throws Exception {
        requireExecutable(command[0], "mosquitto-clients");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(CliRun.WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not end: " + output);
        }
        return new Result(p.exitValue(), output);
    }

    /** A finished tool: exit code and output. */
    record Result(int exit, String output) {
    }
}
