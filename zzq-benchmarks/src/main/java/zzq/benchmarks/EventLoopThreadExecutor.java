package zzq.benchmarks;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor JMH runs benchmark threads on when started with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=zzq.benchmarks.EventLoopThreadExecutor} (the default of every benchmark here, see
 * {@code Fixtures.EXECUTOR_CLASS}): its threads are Netty {@code FastThreadLocalThread}s, as an event loop's are.
 *
 * <p>This matters for allocation. Netty 4.2 keeps its per-thread allocator caches and its object recycler (pooled
 * buffer instances, retained slices) for {@code FastThreadLocalThread}s only; on JMH's default plain threads every
 * pooled buffer and every retained slice also allocates a fresh Java object (about 100 and 72 bytes), which the
 * codec never pays inside a Netty pipeline. Start JMH with {@code -jvmArgsPrepend -Djmh.executor=PLATFORM} to
 * measure on plain threads instead.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {
    /** The constructor JMH's CUSTOM executor type calls. */
    public EventLoopThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
