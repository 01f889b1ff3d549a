package zzq.engine.client;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in order, on a shared pool: what keeps one subscription's callbacks (or one client's
 * monitors) in order without a thread of its own, and keeps one blocked callback from holding up the others.
 */
final class SerialRunner implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialRunner.class);
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    SerialRunner(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a client callback failed", e);
                }
            }
        } finally {
            running.set(false);
            schedule(); // a task added between the last poll and the reset
        }
    }
}
