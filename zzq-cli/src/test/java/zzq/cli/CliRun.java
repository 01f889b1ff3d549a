package zzq.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A {@code zzq} command run in-process ({@link Main#run}) on a thread of its own, as a test's peer: its standard
 * input is a pipe the test writes, its output and error are captured, and the test waits on what they say.
 */
final class CliRun implements AutoCloseable {
    /** How long any wait of a test may take. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final String command;
    private final Output out = new Output();
    private final Output err = new Output();
    private final PipedOutputStream stdin = new PipedOutputStream();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private CliRun(List<String> args) throws IOException {
        this.command = "zzq " + String.join(" ", args);
        PipedInputStream in = new PipedInputStream(stdin, 1 << 20);
        thread = new Thread(() -> {
            try {
                exit.complete(Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "cli " + command);
        thread.setDaemon(true);
    }

    /** Starts {@code zzq ARGS...}. */
    static CliRun start(String... args) throws IOException {
        CliRun run = new CliRun(Arrays.asList(args));
        run.thread.start();
        return run;
    }

    /** Runs {@code zzq ARGS...} with this standard input to its end; returns the finished run. */
    static CliRun run(String stdin, String... args) throws Exception {
        CliRun run = start(args);
        run.write(stdin);
        run.closeStdin();
        run.awaitExit();
        return run;
    }

    /** Writes to the command's standard input. */
    void write(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void closeStdin() throws IOException {
        stdin.close();
    }

    /** The command's exit code, waiting for its end. */
    int awaitExit() throws Exception {
        try {
            return exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(command + " did not end within " + WAIT + "; stderr: " + err(), e);
        } catch (ExecutionException e) {
            throw new AssertionError(command + " failed; stderr: " + err(), e.getCause());
        }
    }

    /** Stops the command as a signal would (an interrupt of its thread) and returns its exit code. */
    int stop() throws Exception {
        thread.interrupt();
        return awaitExit();
    }

    boolean isRunning() {
        return !exit.isDone();
    }

    String out() {
        return out.text();
    }

    String err() {
        return err.text();
    }

    /** Waits until standard output satisfies the condition; returns it. */
    String awaitOut(Predicate<String> condition) throws InterruptedException {
        return out.await(condition, "stdout", this);
    }

    /** Waits until standard error satisfies the condition; returns it. */
    String awaitErr(Predicate<String> condition) throws InterruptedException {
        return err.await(condition, "stderr", this);
    }

    /** Ends the command if it still runs. */
    @Override
    public void close() throws Exception {
        if (isRunning()) {
            stop();
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return command;
    }

    /** Captured output that a test can wait on. */
    private static final class Output extends ByteArrayOutputStream {
        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }

        synchronized String await(Predicate<String> condition, String what, CliRun run) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!condition.test(text())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail(run + ": " + what + " did not show what was awaited within " + WAIT + ":\n" + text()
                            + (what.equals("stderr") ? "" : "\nstderr: " + run.err()));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return text();
        }
    }
}
