package zzq.engine.client;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the application's futures off the event loop, in batches: a burst of completions costs one task on the
 * callback pool, not one each. Unlike a {@link SerialRunner} it never lets one blocked completion hold up the
 * rest: a pump gives up its turn as it starts, so completions that arrive while it runs (or blocks, in a dependent
 * stage the application attached) start another pump on another pool thread.
 */
final class Completions implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Completions.class);
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Completions(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable completion) {
        queue.add(completion);
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(this::pump);
        }
    }

    private void pump() {
        scheduled.set(false);
        Runnable next;
        while ((next = queue.poll()) != null) {
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.warn("completing a client future failed", e);
            }
        }
    }
}
