package zzq.engine.client;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bound on publishes a client holds before the broker has acknowledged them: at most so many messages and so
 * many payload bytes. A publisher reserves its room before its message enters the client, and the event loop
 * frees it on the acknowledgement, so the queue behind a slow or absent broker cannot grow without limit. One
 * message is always admitted when nothing is held, whatever its size, so a large message is never refused for
 * size alone.
 *
 * <p>Lock-free while there is room: both counts live in one atomic word (messages in the top 20 bits, bytes in
 * the low 43). A lock is taken only by a publisher that has to wait, and by a release that has a waiter to wake.
 */
final class PublishBudget {
    private static final int BYTE_BITS = 43;
    private static final long BYTE_MASK = (1L << BYTE_BITS) - 1;

    private final int maxMessages;
    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();

    PublishBudget(int maxMessages, long maxBytes) {
        if (maxMessages >= 1 << 20) {
            throw new IllegalArgumentException("at most " + ((1 << 20) - 1) + " queued publishes");
        }
        this.maxMessages = maxMessages;
        this.maxBytes = Math.min(maxBytes, BYTE_MASK);
    }

    /**
     * Reserves room for a message of {@code size} bytes, waiting up to {@code waitNanos} (0: not at all).
     *
     * @return whether the room was reserved
     */
    boolean reserve(int size, long waitNanos) throws InterruptedException {
        if (tryReserve(size)) {
            return true;
        }
        if (waitNanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + waitNanos;
        waiters.incrementAndGet();
        lock.lock();
        try {
            while (!tryReserve(size)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                freed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }

    private boolean tryReserve(int size) {
        while (true) {
            long now = held.get();
            long messages = now >>> BYTE_BITS;
            long bytes = now & BYTE_MASK;
            if (messages > 0 && (messages >= maxMessages || bytes + size > maxBytes)) {
                return false;
            }
            long next = ((messages + 1) << BYTE_BITS) | Math.min(BYTE_MASK, bytes + size);
            if (held.compareAndSet(now, next)) {
                return true;
            }
        }
    }

    /** Frees the room of one message of {@code size} bytes. */
    void release(int size) {
        while (true) {
            long now = held.get();
            long messages = (now >>> BYTE_BITS) - 1;
            long bytes = Math.max(0, (now & BYTE_MASK) - size);
            if (held.compareAndSet(now, (messages << BYTE_BITS) | (messages == 0 ? 0 : bytes))) {
                break;
            }
        }
        if (waiters.get() > 0) {
            lock.lock();
            try {
                freed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Messages held now. */
    int messages() {
        return (int) (held.get() >>> BYTE_BITS);
    }

    @Override
    public String toString() {
        return "at most " + maxMessages + " messages and " + maxBytes + " bytes";
    }
}
