package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.PublishResult;
import zzq.engine.Subscription;

/**
 * Numbered message streams, one per topic and QoS, published by one client and recorded by another, with the
 * checks of what each QoS promises: QoS 1 every number at least once, QoS 2 exactly once, both in order (the
 * first occurrences increasing).
 */
final class NumberedStreams {
    private NumberedStreams() {
    }

    /**
     * A QoS 1 stream on {@code prefix/1} and a QoS 2 stream on {@code prefix/2}, each recorded by its own
     * subscription of {@code subscriber}.
     */
    static List<Stream> subscribeBoth(Client subscriber, String prefix) {
        List<Stream> both = List.of(new Stream(prefix + "/1", QoS.AT_LEAST_ONCE),
                new Stream(prefix + "/2", QoS.EXACTLY_ONCE));
        for (Stream s : both) {
            s.record(subscriber.subscribe(s.topic, s.qos));
        }
        return both;
    }

    /**
     * Publishes {@code 0..count-1} on each stream's topic, interleaved, from its own thread, with at most
     * {@code window} rounds unacknowledged: the client queues what it cannot send while the broker is away, and
     * the thread waits when the window is full.
     */
    static final class Publisher {
        private final Client client;
        private final List<Stream> streams;
        private final int count;
        private final Semaphore window;
        private final AtomicInteger published = new AtomicInteger();
        private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final List<CompletableFuture<PublishResult>> results = new ArrayList<>();
        private final Thread thread;
        private boolean paused;
        private boolean parked;

        Publisher(Client client, List<Stream> streams, int count, int window) {
            this.client = client;
            this.streams = streams;
            this.count = count;
            this.window = new Semaphore(window);
            thread = new Thread(this::run, "numbered-publisher");
            thread.setDaemon(true);
        }

        Publisher start() {
            thread.start();
            return this;
        }

        private void run() {
            try {
                for (int i = 0; i < count; i++) {
                    window.acquire();
                    synchronized (this) {
                        while (paused) {
                            parked = true;
                            notifyAll();
                            wait();
                        }
                        parked = false;
                    }
                    List<CompletableFuture<PublishResult>> round = new ArrayList<>();
                    for (Stream s : streams) {
                        round.add(client.publishAsync(ApplicationMessage.builder(s.topic)
                                .payload(Integer.toString(i)).qos(s.qos).build()));
                    }
                    synchronized (results) {
                        results.addAll(round);
                    }
                    CompletableFuture.allOf(round.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
                        if (e != null) {
                            failures.add(e);
                        }
                        window.release();
                    });
                    published.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }

        /** Makes the thread stop before its next round; see {@link #awaitParked()}. */
        synchronized void pause() {
            paused = true;
        }

        /** Waits (bounded) until the paused thread has stopped (or finished): {@link #published()} stays put. */
        synchronized void awaitParked() throws InterruptedException {
            long deadline = System.nanoTime() + ZzqClients.WAIT.toNanos();
            while (!parked && published() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the publisher did not pause; it published " + published());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized void resume() {
            paused = false;
            notifyAll();
        }

        /** Rounds handed to the client so far. */
        int published() {
            return published.get();
        }

        /** Whether every round was handed to the client and acknowledged (or failed). */
        boolean done() {
            if (published.get() < count) {
                return false;
            }
            synchronized (results) {
                return results.stream().allMatch(CompletableFuture::isDone);
            }
        }

        /** Fails if any publish failed. */
        void assertNoFailures() {
            assertTrue(failures.isEmpty(), () -> failures.size() + " publishes failed, the first: "
                    + failures.peek());
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    /** One topic at one QoS, and what its subscription received. */
    static final class Stream {
        final String topic;
        final QoS qos;
        private final List<Integer> received = new ArrayList<>();
        private int duplicates;

        Stream(String topic, QoS qos) {
            this.topic = topic;
            this.qos = qos;
        }

        /** Records every message of {@code s} from its callback. */
        void record(Subscription s) {
            s.onMessage(m -> add(Integer.parseInt(m.payloadAsString())));
        }

        private synchronized void add(int n) {
            if (received.contains(n)) {
                duplicates++;
            }
            received.add(n);
        }

        /** Messages received so far, duplicates included. */
        synchronized int size() {
            return received.size();
        }

        /** Distinct numbers received so far. */
        synchronized int distinct() {
            BitSet seen = new BitSet();
            received.forEach(seen::set);
            return seen.cardinality();
        }

        /** Whether some received number is at least {@code n}. */
        synchronized boolean reached(int n) {
            return received.stream().anyMatch(i -> i >= n);
        }

        /** How many numbers arrived more than once. */
        synchronized int duplicates() {
            return duplicates;
        }

        /** The first occurrences, in arrival order. */
        synchronized List<Integer> firstOccurrences() {
            BitSet seen = new BitSet();
            List<Integer> firsts = new ArrayList<>();
            for (int n : received) {
                if (!seen.get(n)) {
                    seen.set(n);
                    firsts.add(n);
                }
            }
            return firsts;
        }

        /**
         * What the QoS promises for {@code from..count-1}, in order: {@link #assertComplete} and the first
         * occurrences of all numbers received in increasing order.
         */
        void assertDelivered(int from, int count) {
            List<Integer> firsts = firstOccurrences();
            for (int i = 1; i < firsts.size(); i++) {
                if (firsts.get(i) <= firsts.get(i - 1)) {
                    throw new AssertionError(topic + " (QoS " + qos.value() + "): " + firsts.get(i) + " came after "
                            + firsts.get(i - 1) + " (position " + i + ")");
                }
            }
            assertComplete(from, count);
        }

        /**
         * Each of {@code from..count-1} arrived, QoS 2 exactly once; numbers below {@code from} may be missing (a
         * broker that lost them).
         */
        void assertComplete(int from, int count) {
            BitSet seen = new BitSet();
            firstOccurrences().forEach(seen::set);
            int missing = (count - from) - seen.get(from, count).cardinality();
            assertEquals(0, missing, () -> topic + ": " + missing + " of " + from + ".." + (count - 1)
                    + " missing, the first " + (seen.get(from, count).nextClearBit(0) + from));
            if (qos == QoS.EXACTLY_ONCE) {
                assertEquals(0, duplicates(), topic + ": QoS 2 delivered a message twice");
            }
        }

        @Override
        public synchronized String toString() {
            return topic + ": " + received.size() + " received, " + duplicates + " duplicates";
        }
    }
}
