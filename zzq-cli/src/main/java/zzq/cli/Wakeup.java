package zzq.cli;

/**
 * Wakes the thread that created it out of a blocking wait (by interrupting it) when SIGINT or SIGTERM comes, or
 * when {@link #wake} is called, and remembers why. Once closed it wakes nobody, and it leaves no interrupt behind:
 * an interrupt can come only while the owner runs inside the try block that holds it.
 */
final class Wakeup implements AutoCloseable {
    private final Thread owner = Thread.currentThread();
    private final StopSignal signals;
    private String reason;
    private boolean closed;

    private Wakeup(StopSignal signals) {
        this.signals = signals;
    }

    /** Wakes the calling thread on SIGINT or SIGTERM (where the JVM lets them be caught). */
    static Wakeup onSignals() {
        Wakeup wakeup = new Wakeup(StopSignal.install());
        Thread watcher = new Thread(() -> wakeup.wake(wakeup.signals.await()), "zzq-signals");
        watcher.setDaemon(true);
        watcher.start();
        return wakeup;
    }

    /** Interrupts the owner, unless it was woken already or this is closed; the first reason is kept. */
    synchronized void wake(String why) {
        if (!closed && reason == null) {
            reason = why;
            owner.interrupt();
        }
    }

    /** Why the owner was woken, or {@code null}. */
    synchronized String reason() {
        return reason;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        if (Thread.currentThread() == owner) {
            Thread.interrupted(); // one that came before closing and was not seen
        }
        signals.close();
        signals.release("closed"); // ends the watcher
    }
}
