package zzq.engine.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import zzq.codec.QoS;
import zzq.codec.packet.SubscriptionOptions;

/**
 * Proves {@link TopicTree} matches lock-free while other threads subscribe and unsubscribe: stable subscriptions
 * (some of them being replaced concurrently) are always found exactly once, every reported subscription really matches, no group is ever seen empty, and the tree
 * prunes back to its baseline once the churn stops.
 */
class TopicTreeConcurrencyTest {
    private static final SubscriptionOptions Q0 = SubscriptionOptions.of(QoS.AT_MOST_ONCE);
    private static final String[] TOPICS = {"s/a/x", "s/b/x", "s/a/x/deep", "s", "s/a", "s//x"};
    private static final String[] CHURN_LEVELS = {"s", "a", "b", "x", "", "+", "deep"};
    private static final int READERS = 4;
    private static final int WRITERS = 2;
    private static final int READS = 20_000;
    private static final int WRITES = 20_000;
    private static final long SEED = 20261124L;

    @Test
    void matchersAlwaysSeeStableSubscriptionsDuringChurn() throws InterruptedException {
        TopicTree<String> tree = new TopicTree<>();
        // The stable subscriber's filters, and how many of them (non-shared) match each topic.
        tree.subscribe("stable", "s/#", Q0, 1);
        tree.subscribe("stable", "s/+/x", Q0, 2);
        tree.subscribe("stable", "$share/g/s/+/x", Q0, 3);
        tree.subscribe("stable", "s/a/x/deep", Q0, 4);
        int baselineNodes = tree.nodeCount();
        int baselineCount = tree.subscriptionCount();

        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            threads.add(new Thread(() -> run(start, failures, () -> read(tree, reader)), "reader-" + r));
        }
        for (int w = 0; w < WRITERS; w++) {
            long seed = SEED + w;
            threads.add(new Thread(() -> run(start, failures, () -> churn(tree, seed)), "writer-" + w));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join(60_000);
            assertFalse(t.isAlive(), t.getName() + " did not finish within a minute");
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " failure(s), seed " + SEED
                    + "; first: " + failures.peek(), failures.peek());
            failures.stream().skip(1).limit(5).forEach(e::addSuppressed);
            throw e;
        }

        for (int w = 0; w < WRITERS; w++) {
            for (int c = 0; c < 4; c++) {
                tree.unsubscribeAll("churn-" + w + "-" + c);
            }
        }
        assertEquals(baselineCount, tree.subscriptionCount());
        assertEquals(baselineNodes, tree.nodeCount());
        for (String topic : TOPICS) {
            assertEquals(expectedStable(topic), countStable(Collector.match(tree, topic)), topic);
        }
    }

    private static void run(CountDownLatch start, ConcurrentLinkedQueue<Throwable> failures, Runnable body) {
        try {
            start.await();
            body.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static void read(TopicTree<String> tree, int reader) {
        Collector<String> c = new Collector<>();
        for (int i = 0; i < READS; i++) {
            String topic = TOPICS[(i + reader) % TOPICS.length];
            c.subscriptions.clear();
            c.groups.clear();
            tree.match(topic, c);
            int stable = countStable(c);
            assertEquals(expectedStable(topic), stable, () -> "stable subscriptions seen for " + topic);
            boolean stableGroupExpected = ReferenceMatcher.matches("s/+/x", topic);
            boolean stableGroupSeen = false;
            for (Subscription<String> s : c.subscriptions) {
                assertFalse(s.isShared(), s::toString);
                assertTrue(ReferenceMatcher.matches(s.filter(), topic), () -> s.filter() + " reported for " + topic);
            }
            for (SharedGroup<String> g : c.groups) {
                assertTrue(g.size() > 0, "empty group " + g);
                assertTrue(ReferenceMatcher.matches(g.filter(), topic), () -> g + " reported for " + topic);
                for (Subscription<String> m : g.members()) {
                    assertEquals(g.shareName(), m.shareName());
                    assertEquals(g.filter(), m.topicFilter());
                    if (g.shareName().equals("g") && m.subscriber().equals("stable")) {
                        stableGroupSeen = true;
                    }
                }
            }
            assertEquals(stableGroupExpected, stableGroupSeen, () -> "stable group membership for " + topic);
        }
    }

    private static void churn(TopicTree<String> tree, long seed) {
        Random rnd = new Random(seed);
        String prefix = "churn-" + (seed - SEED) + "-";
        for (int i = 0; i < WRITES; i++) {
            if (i % 8 == 0) {
                // Replacing a subscription must be atomic: matchers still see exactly one of each.
                assertTrue(tree.subscribe("stable", "s/#", Q0, 1));
                assertTrue(tree.subscribe("stable", "$share/g/s/+/x", Q0, 3));
            }
            String subscriber = prefix + rnd.nextInt(4);
            String filter = randomFilter(rnd);
            switch (rnd.nextInt(5)) {
                case 0, 1 -> tree.subscribe(subscriber, filter, Q0, rnd.nextInt(3));
                case 2, 3 -> tree.unsubscribe(subscriber, filter);
                default -> {
                    if (rnd.nextInt(20) == 0) {
                        tree.unsubscribeAll(subscriber);
                    }
                }
            }
        }
    }

    private static String randomFilter(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int kind = rnd.nextInt(8);
        if (kind == 0) {
            sb.append("$share/").append(rnd.nextBoolean() ? "g" : "h").append('/');
        }
        int n = 1 + rnd.nextInt(4);
        int innerStart = sb.length();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (i == n - 1 && rnd.nextInt(6) == 0) {
                sb.append('#');
            } else {
                sb.append(CHURN_LEVELS[rnd.nextInt(CHURN_LEVELS.length)]);
            }
        }
        if (sb.length() == innerStart) {
            sb.append('/'); // a single empty level is an empty filter; two empty levels ("/") are valid
        }
        return sb.toString();
    }

    private static int expectedStable(String topic) {
        int n = 0;
        for (String f : new String[] {"s/#", "s/+/x", "s/a/x/deep"}) {
            if (ReferenceMatcher.matches(f, topic)) {
                n++;
            }
        }
        return n;
    }

    private static int countStable(Collector<String> c) {
        int n = 0;
        for (Subscription<String> s : c.subscriptions) {
            if (s.subscriber().equals("stable")) {
                n++;
            }
        }
        return n;
    }
}
