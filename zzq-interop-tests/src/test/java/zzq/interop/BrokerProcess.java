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
 * A broker run as a process of its own by a test: in a temporary directory (which also holds its data), on a free
 * loopback port, stopped (SIGTERM), killed (SIGKILL) and restarted on the same port and data. Its output is kept as
 * a log, and a failing test gets the log's tail attached. Subclasses say how to run which broker
 * ({@link MosquittoBroker}, {@link ZzqBrokerProcess}).
 *
 * <p>Register it per test with {@code @RegisterExtension}; it is always killed and its directory deleted after the
 * test.
 */
abstract class BrokerProcess implements AfterEachCallback, TestExecutionExceptionHandler, AutoCloseable {
    private static final int LOG_TAIL = 12_000;

    private final List<String> log = new ArrayList<>();
    private Path dir;
    private int port;
    private Process process;
    private Thread reader;
    private int starts;

    /** What it is called in messages: {@code mosquitto}. */
    abstract String name();

    /** The command line of one run on {@code port}, with its data in {@code dir} (a subclass may write files). */
    abstract List<String> command(Path dir, int port) throws IOException;

    /** The line it logs once its listener accepts connections. */
    abstract Pattern running();

    /** Fails the test (never skips it) when the broker is not installed or not built. */
    abstract void checkInstalled();

    /** Starts it on a free loopback port and returns once it accepts connections; a port taken meanwhile is replaced. */
    final void launchOnFreePort() {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        checkInstalled();
        try {
            dir = Files.createTempDirectory("zzq-" + name().replace(' ', '-'));
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
            fail(name() + " could not bind a free port three times:\n" + log());
        }
    }

    /** The directory of its files and data (the same across restarts). */
    Path dir() {
        return dir;
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

    /** Stops it with SIGTERM, as a service manager does, and waits for the exit. */
    void stop() {
        end(false);
    }

    /** Kills it with SIGKILL, a crash, and waits for the exit. */
    void kill() {
        end(true);
    }

    /** Starts it again on the same port, with the same configuration and data directory. */
    void restart() {
        if (isRunning()) {
            throw new IllegalStateException("stop or kill it first");
        }
        if (!launch()) {
            fail(name() + " could not bind port " + port + " again on restart:\n" + log());
        }
    }

    /** The exit code of the last run, which must have ended. */
    int exitCode() {
        return process.exitValue();
    }

    /** Everything it printed so far, over all its runs. */
    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** How many lines it printed so far contain {@code text}. */
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

    /** Runs it; true once it logs that it runs, false when its port was taken. */
    private boolean launch() {
        starts++;
        Process p;
        try {
            p = new ProcessBuilder(command(dir, port)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            fail(name() + " could not be started: " + e);
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
        }, name() + "-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BrokerFixture.WAIT_SECONDS);
        synchronized (log) {
            while (true) {
                if (log.stream().anyMatch(l -> l.startsWith(run) && running().matcher(l).find())) {
                    return true;
                }
                if (log.stream().anyMatch(l -> l.equals(run + "exited"))) {
                    if (runLogged(run, "Address already in use")) {
                        return false;
                    }
                    fail(name() + " exited at start:\n" + log());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    p.destroyForcibly();
                    fail(name() + " did not start within " + BrokerFixture.WAIT_SECONDS + " s:\n" + log());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(log, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                    throw new IllegalStateException("interrupted while " + name() + " started", e);
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
            throw new IllegalStateException(name() + " is not running");
        }
        append("[" + (kill ? "SIGKILL" : "SIGTERM") + " sent by the test]");
        // through the handle: Process.destroy() would also close the pipe, losing what it says on its way out
        if (kill) {
            p.toHandle().destroyForcibly(); // SIGKILL
        } else {
            p.toHandle().destroy(); // SIGTERM
        }
        try {
            if (!p.waitFor(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(name() + " did not exit within " + BrokerFixture.WAIT_SECONDS + " s of SIGTERM:\n" + log());
            }
            reader.join(TimeUnit.SECONDS.toMillis(BrokerFixture.WAIT_SECONDS)); // its last words are in the log
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while " + name() + " stopped", e);
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

    /** A failing test shows what the broker said (the tail of its log). */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable error) throws Throwable {
        if (starts > 0) {
            String all = log();
            error.addSuppressed(new AssertionError(name() + "'s log"
                    + (all.length() > LOG_TAIL ? " (last " + LOG_TAIL + " characters)" : "") + ":\n"
                    + (all.length() > LOG_TAIL ? all.substring(all.length() - LOG_TAIL) : all)));
        }
        throw error;
    }
}
