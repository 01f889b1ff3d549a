package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PublishBudget: at most so many messages and bytes held, lock-free while there is room, waiting when not. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PublishBudgetTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    @DisplayName("messages are bounded; a release makes room again")
    void messageBound() throws Exception {
        PublishBudget b = new PublishBudget(3, 1000);
        for (int i = 0; i < 3; i++) {
            assertTrue(b.reserve(10, 0));
        }
        assertFalse(b.reserve(10, 0));
        assertFalse(b.reserve(0, 0), "an empty message still counts");
        assertEquals(3, b.messages());
        b.release(10);
        assertTrue(b.reserve(10, 0));
        assertEquals(3, b.messages());
    }

    @Test
    @DisplayName("bytes are bounded, but one message is always admitted when nothing is held")
    void byteBound() throws Exception {
        PublishBudget b = new PublishBudget(100, 100);
        assertTrue(b.reserve(60, 0));
        assertFalse(b.reserve(41, 0));
        assertTrue(b.reserve(40, 0), "exactly 100");
        b.release(60);
        b.release(40);
        assertEquals(0, b.messages());
        assertTrue(b.reserve(1_000, 0), "alone, any size");
        assertFalse(b.reserve(1, 0), "but nothing beside it");
        b.release(1_000);
        assertTrue(b.reserve(100, 0), "the big one's bytes are all freed");
    }

    @Test
    @DisplayName("a waiting reserve gives up after its wait, and wakes as soon as room frees")
    void waiting() throws Exception {
        PublishBudget b = new PublishBudget(1, 100);
        assertTrue(b.reserve(1, 0));
        long start = System.nanoTime();
        assertFalse(b.reserve(1, 100 * MS));
        assertTrue(System.nanoTime() - start >= 95 * MS, "waited its time");

        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return b.reserve(1, TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        long released = System.nanoTime();
        b.release(1);
        assertTrue(waiter.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - released < TimeUnit.SECONDS.toNanos(5), "woken, not timed out");
        assertEquals(1, b.messages());
    }

    @Test
    @DisplayName("an interrupted waiter gets InterruptedException")
    void interrupted() throws Exception {
        PublishBudget b = new PublishBudget(1, 100);
        assertTrue(b.reserve(1, 0));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> b.reserve(1, TimeUnit.SECONDS.toNanos(5)));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    @DisplayName("many threads reserving and releasing never exceed either bound, and every reservation is freed")
    void concurrentBounds() throws Exception {
        int maxMessages = 5;
        long maxBytes = 1_000;
        PublishBudget b = new PublishBudget(maxMessages, maxBytes);
        AtomicInteger held = new AtomicInteger();
        AtomicLong heldBytes = new AtomicLong();
        AtomicInteger worstMessages = new AtomicInteger();
        AtomicLong worstBytes = new AtomicLong();
        AtomicInteger granted = new AtomicInteger();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < 20_000; i++) {
                        int size = random.nextInt(0, (int) maxBytes / 2);
                        boolean waits = random.nextInt(4) == 0;
                        if (!b.reserve(size, waits ? MS : 0)) {
                            continue;
                        }
                        granted.incrementAndGet();
                        // counted after reserving and uncounted before releasing: never above what the budget holds
                        worstMessages.accumulateAndGet(held.incrementAndGet(), Math::max);
                        worstBytes.accumulateAndGet(heldBytes.addAndGet(size), Math::max);
                        heldBytes.addAndGet(-size);
                        held.decrementAndGet();
                        b.release(size);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(worstMessages.get() <= maxMessages, "held " + worstMessages.get() + " messages");
        assertTrue(worstBytes.get() <= maxBytes, "held " + worstBytes.get() + " bytes");
        assertTrue(granted.get() > 1000, "the threads made progress: " + granted.get());
        assertEquals(0, b.messages());
        assertTrue(b.reserve((int) maxBytes, 0), "all bytes freed: a full-size message fits");
        for (int i = 1; i < maxMessages; i++) {
            assertTrue(b.reserve(0, 0), "all message slots freed");
        }
    }

    @Test
    @DisplayName("at most 2^20 - 1 messages: the packed counter's limit")
    void limit() {
        assertThrows(IllegalArgumentException.class, () -> new PublishBudget(1 << 20, 10));
    }
}
