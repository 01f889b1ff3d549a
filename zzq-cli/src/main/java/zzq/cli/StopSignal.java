package zzq.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Waits for SIGINT (Ctrl-C) or SIGTERM, so that a foreground command can close what it runs and exit 0.
 *
 * <p>Why not only a shutdown hook: when the JVM's own handler meets one of these signals it exits with
 * 128 + the signal's number (130, 143), whatever the hooks do. Catching the signal instead lets the main thread
 * close gracefully and return 0. The first signal puts back the handlers that were there before, so a second
 * Ctrl-C during a slow close ends the JVM the usual way. Where a signal cannot be caught (a JVM run with
 * {@code -Xrs}), the command's shutdown hook still closes gracefully, with the JVM's exit code. A signal that
 * was ignored when the JVM started stays ignored.
 */
final class StopSignal implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The handler each caught signal had before, by name ({@code INT}), to put back. */
    private final Map<String, SignalHandler> previous = new ConcurrentHashMap<>();
    private volatile String reason;

    private StopSignal() {
    }

    /** Catches SIGINT and SIGTERM from now on. */
    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            try {
                SignalHandler before = Signal.handle(signal, s -> {
                    stop.close();
                    stop.release("SIG" + s.getName());
                });
                if (before == SignalHandler.SIG_IGN) {
                    // Ignored when the JVM started (nohup, a background job of a script): the JVM leaves it
                    // ignored and never calls the handler, and ignoring it is what whoever started us asked for.
                    Signal.handle(signal, SignalHandler.SIG_IGN);
                } else {
                    stop.previous.put(name, before);
                }
            } catch (IllegalArgumentException e) {
                // Reserved by the JVM (-Xrs) or the OS: the shutdown hook is the fallback.
            }
        }
        return stop;
    }

    private void restore(String name) {
        SignalHandler before = previous.remove(name);
        if (before != null) {
            Signal.handle(new Signal(name), before);
        }
    }

    /** Puts back the handlers that were there before {@link #install}; then only {@link #release} ends a wait. */
    @Override
    public void close() {
        SIGNALS.forEach(this::restore);
    }

    /** The signals this instance catches, such as {@code SIGINT}; fewer where the JVM keeps one or it is ignored. */
    List<String> caught() {
        return SIGNALS.stream().filter(previous::containsKey).map(name -> "SIG" + name).toList();
    }

    /** Ends {@link #await}; the first reason given is kept. */
    void release(String why) {
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
        }
        stopped.countDown();
    }

    /** Blocks until a signal or {@link #release}, and says which. An interrupt counts as a stop too. */
    String await() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            release("interrupt");
        }
        return reason;
    }

    /** Like {@link #await()}, for at most this long; {@code null} when nothing came. */
    String await(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit) ? reason : null;
    }
}
