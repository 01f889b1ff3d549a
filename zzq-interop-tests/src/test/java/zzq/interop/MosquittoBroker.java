package zzq.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A real Mosquitto broker ({@code /usr/sbin/mosquitto}, the Debian/Ubuntu package {@code mosquitto}) run by a
 * test, for the zzq client to talk to. It runs with a generated configuration in a temporary directory (which
 * also holds its persistence file), listens on a free loopback port, and can be stopped (SIGTERM: Mosquitto saves
 * its persistence on the way out), killed (SIGKILL: it saves nothing) and restarted on the same port and data.
 *
 * <p>Register it per test with {@code @RegisterExtension final MosquittoBroker mosquitto = new MosquittoBroker();}
 * and {@link #start(Config)} it in the test: it is always killed and its directory deleted after the test, and a
 * failing test gets Mosquitto's log attached. A missing binary fails the test (never skips it): CI installs the
 * package.
 */
final class MosquittoBroker implements AfterEachCallback, TestExecutionExceptionHandler, AutoCloseable {
    static final String BINARY = "/usr/sbin/mosquitto";
    /** The line Mosquitto logs once its listeners accept: "mosquitto version 2.0.11 running". */
    private static final Pattern RUNNING = Pattern.compile(
            ": mosquitto version \\S+ running$");
    private static final int LOG_TAIL = 12_000;

    private final List<String> log = new ArrayList<>();
    private Config config;
    private Path dir;
    private int port;
    private Process process;
    private Thread reader;
    private int starts;

    /** The configuration: Mosquitto's own {@code key value} lines. Listener, user and logging are added. */
    static final class Config {
        private final List<String> lines = new ArrayList<>();
        private boolean persistence;

        private Config() {
            lines.add("allow_anonymous true");
        }

        /** Adds a line {@code key value} (the latest of one key wins in Mosquitto). */
        Config set(String key, Object value) {
            lines.add(key + " " + value);
            return this;
        }

        /**
         * Persistence on, in the broker's directory: written at every stop (SIGTERM) and, with
         * {@code autosave_on_changes}, after that many changes; {@code autosaveChanges} 0 leaves only the stops
         * and a once-an-hour timer.
         */
        Config persistence(int autosaveChanges) {
            persistence = true;
            if (autosaveChanges > 0) {
                set("autosave_on_changes", "true").set("autosave_interval", autosaveChanges);
            } else {
                set("autosave_interval", 3600);
            }
            return this;
        }

        private String render(Path dir, int port) {
            List<String> all = new ArrayList<>(lines);
            // as root, Mosquitto would switch to the 'mosquitto' user, which cannot write the test's directory;
            // as anyone else, this line has no effect
            all.add(0, "user " + System.getProperty("user.name"));
            all.add(1, "listener " + port + " 127.0.0.1");
            all.add("log_dest stderr"); // unbuffered, unlike stdout into a pipe
            all.add("log_timestamp_format %H:%M:%S");
            if (persistence) {
                all.add("persistence true");
                all.add("persistence_location " + dir + "/");
                all.add("persistence_file mosquitto.db");
            }
            return String.join("\n", all) + "\n";
        }
    }

    /** The default configuration: anonymous clients allowed, no persistence. */
    static Config config() {
        return new Config();
    }

    /** Starts Mosquitto with the default configuration. */
    MosquittoBroker start() {
        return start(config());
    }

    /**
     * Starts Mosquitto with {@code c} on a free loopback port and returns once it accepts connections. A port
     * taken meanwhile by someone else is replaced by another.
     */
    MosquittoBroker start(Config c) {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail(BINARY + " is missing: install the apt package mosquitto (CI does)");
        }
        config = c;
        try {
            dir = Files.createTempDirectory("zzq-mosquitto");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int tries = 1; ; tries++) {
            port = freePort();
            if (launch() || tries == 3) {
                break;
            }
        }
        if (!isRunning()) {
            fail("mosquitto could not bind a free port three times:\n" + log());
        }
        return this;
    }

    /** The port it listens on (the same across restarts). */
    int port() {
        return port;
    }

    /** The URL the zzq client takes. */
    String url() {
        return "mqtt://127.0.0.1:" + port;
    }

    /** Whether the process is running. */
    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops it with SIGTERM, as a service manager does: Mosquitto closes its connections and, with persistence
     * on, saves its database before it exits. Waits for the exit.
     */
    void stop() {
        end(false);
    }

    /** Kills it with SIGKILL: nothing is saved since the last autosave. Waits for the exit. */
    void kill() {
        end(true);
    }

    /** Starts it again on the same port, with the same configuration and data directory. */
    void restart() {
        if (isRunning()) {
            throw new IllegalStateException("stop or kill it first");
        }
        if (!launch()) {
            fail("mosquitto could not bind port " + port + " again on restart:\n" + log());
        }
    }

    /** Everything Mosquitto printed so far, over all its runs. */
    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** How many lines Mosquitto printed so far contain {@code text}. */
    long count(String text) {
        synchronized (log) {
            return log.stream().filter(l -> l.contains(text)).count();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the binary; true once it logs that it runs, false when its port was taken. */
    private boolean launch() {
        starts++;
        Path conf = dir.resolve("mosquitto.conf");
        Process p;
        try {
            Files.writeString(conf, config.render(dir, port));
            p = new ProcessBuilder(BINARY, "-c", conf.toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            fail(BINARY + " could not be started (install the apt package mosquitto): " + e);
            throw new UncheckedIOException(e);
        }
        process = p; // from now on close() ends it, whatever happens
        String run = "[run " + starts + ", port " + port + "] ";
        append(run + "started");
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    append(run + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            append(run + "exited");
        }, "mosquitto-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BrokerFixture.WAIT_SECONDS);
        synchronized (log) {
            while (true) {
                if (log.stream().anyMatch(l -> l.startsWith(run) && RUNNING.matcher(l).find())) {
                    return true;
                }
                if (log.stream().anyMatch(l -> l.equals(run + "exited"))) {
                    if (runLogged(run, "Address already in use")) {
                        return false;
                    }
                    fail("mosquitto exited at start:\n" + log());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    p.destroyForcibly();
                    fail("mosquitto did not start within " + BrokerFixture.WAIT_SECONDS + " s:\n" + log());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(log, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                    throw new IllegalStateException("interrupted while mosquitto started", e);
                }
            }
        }
    }

    private void append(String line) {
        synchronized (log) {
            log.add(line);
            log.notifyAll();
        }
    }

    /** Whether a line of one run contains {@code text}. */
    private boolean runLogged(String run, String text) {
        synchronized (log) {
            return log.stream().anyMatch(l -> l.startsWith(run) && l.contains(text));
        }
    }

    private void end(boolean kill) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("mosquitto is not running");
        }
        append("[" + (kill ? "SIGKILL" : "SIGTERM") + " sent by the test]");
        // through the handle: Process.destroy() would also close the pipe, losing what Mosquitto says on its way out
        if (kill) {
            p.toHandle().destroyForcibly(); // SIGKILL
        } else {
            p.toHandle().destroy(); // SIGTERM
        }
        try {
            if (!p.waitFor(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("mosquitto did not exit within " + BrokerFixture.WAIT_SECONDS + " s of SIGTERM:\n" + log());
            }
            reader.join(TimeUnit.SECONDS.toMillis(BrokerFixture.WAIT_SECONDS)); // its last words are in the log
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while mosquitto stopped", e);
        }
    }

    /** Kills it if it runs and deletes its directory. Idempotent. */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
            dir = null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** A failing test shows what Mosquitto said (the tail of its log). */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable error) throws Throwable {
        if (starts > 0) {
            String all = log();
            error.addSuppressed(new AssertionError("mosquitto's log"
                    + (all.length() > LOG_TAIL ? " (last " + LOG_TAIL + " characters)" : "") + ":\n"
                    + (all.length() > LOG_TAIL ? all.substring(all.length() - LOG_TAIL) : all)));
        }
        throw error;
    }
}
