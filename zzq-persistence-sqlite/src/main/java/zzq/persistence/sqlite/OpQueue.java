package zzq.persistence.sqlite;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writer's queue, bounded by backpressure: a caller whose op makes the queue longer than the limit waits,
 * after queueing it, until the writer has taken the queue back under the limit. So memory stays bounded (the limit
 * plus one op per waiting thread) while order is kept, and the writer thread itself, which must never wait for
 * itself, queues without waiting.
 */
final class OpQueue {
    private final LinkedBlockingQueue<Op> ops = new LinkedBlockingQueue<>();
    private final int limit;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roomLeft = lock.newCondition();

    /** A queue that holds back callers past {@code limit} ops. */
    OpQueue(int limit) {
        this.limit = limit;
    }

    /** Queues an op; then, if the queue is past its limit and {@code mayWait}, waits until it is not. */
    void put(Op op, boolean mayWait) {
        ops.add(op);
        if (size.incrementAndGet() > limit && mayWait) {
            lock.lock();
            waiting.incrementAndGet();
            try {
                while (size.get() > limit) {
                    roomLeft.awaitUninterruptibly();
                }
            } finally {
                waiting.decrementAndGet();
                lock.unlock();
            }
        }
    }

    /** The next op, waiting up to {@code millis} for one; null if none came. */
    Op poll(long millis) throws InterruptedException {
        return taken(ops.poll(millis, TimeUnit.MILLISECONDS));
    }

    /** The next op, or null if the queue is empty. */
    Op poll() {
        return taken(ops.poll());
    }

    /** How many ops wait. */
    int size() {
        return size.get();
    }

    private Op taken(Op op) {
        // A waiter counts itself under the lock before it checks the size, so one that saw no room is signalled.
        if (op != null && size.decrementAndGet() <= limit && waiting.get() > 0) {
            lock.lock();
            try {
                roomLeft.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return op;
    }
}
