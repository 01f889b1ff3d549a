package zzq.engine.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.codec.QoS;
import zzq.codec.packet.SubscriptionOptions;

/**
 * Proves {@link TopicTree} agrees with a brute-force {@link ReferenceMatcher} over random subscribe/unsubscribe
 * sequences and random topics (fixed seeds), for non-shared subscriptions and shared groups alike, and that it
 * prunes back to an empty tree.
 */
class TopicTreeRandomizedTest {
    private static final String[] LEVELS = {"a", "b", "c", "", "$s"};
    private static final String[] SUBSCRIBERS = {"s0", "s1", "s2", "s3", "s4", "s5"};
    private static final String[] SHARE_NAMES = {"g", "h"};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567, 0xC0FFEE, -7, 99})
    void agreesWithTheReferenceMatcher(long seed) {
        Random rnd = new Random(seed);
        TopicTree<String> tree = new TopicTree<>();
        // subscriber -> filter (as subscribed) -> subscription identifier
        Map<String, Map<String, Integer>> model = new HashMap<>();
        for (String s : SUBSCRIBERS) {
            model.put(s, new LinkedHashMap<>());
        }
        for (int op = 0; op < 3000; op++) {
            String subscriber = SUBSCRIBERS[rnd.nextInt(SUBSCRIBERS.length)];
            Map<String, Integer> mine = model.get(subscriber);
            int kind = rnd.nextInt(10);
            if (kind < 6) {
                String filter = randomFilter(rnd);
                int id = rnd.nextInt(5);
                boolean expected = mine.put(filter, id) != null;
                assertEquals(expected, tree.subscribe(subscriber, filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE), id),
                        () -> "seed " + seed + ": subscribe " + subscriber + " " + filter);
            } else if (kind < 9) {
                String filter = !mine.isEmpty() && rnd.nextBoolean()
                        ? new ArrayList<>(mine.keySet()).get(rnd.nextInt(mine.size())) : randomFilter(rnd);
                boolean expected = mine.remove(filter) != null;
                assertEquals(expected, tree.unsubscribe(subscriber, filter),
                        () -> "seed " + seed + ": unsubscribe " + subscriber + " " + filter);
            } else if (rnd.nextInt(10) == 0) {
                assertEquals(mine.size(), tree.unsubscribeAll(subscriber), "seed " + seed);
                mine.clear();
            }
            assertEquals(model.values().stream().mapToInt(Map::size).sum(), tree.subscriptionCount(),
                    "seed " + seed);
            if (op % 10 == 0) {
                for (int i = 0; i < 20; i++) {
                    String topic = randomTopic(rnd);
                    assertEquals(expected(model, topic), actual(tree, topic), () -> "seed " + seed + ": " + topic);
                }
            }
        }
        for (String s : SUBSCRIBERS) {
            assertEquals(model.get(s).size(), tree.unsubscribeAll(s), "seed " + seed);
        }
        assertEquals(0, tree.subscriptionCount(), "seed " + seed);
        assertEquals(0, tree.nodeCount(), "seed " + seed);
    }

    /** Sorted "subscriber filter id" lines for non-shared matches, then "G share filter [members]" lines. */
    private static List<String> expected(Map<String, Map<String, Integer>> model, String topic) {
        List<String> out = new ArrayList<>();
        Map<String, TreeSet<String>> groups = new TreeMap<>();
        model.forEach((subscriber, filters) -> filters.forEach((filter, id) -> {
            if (filter.startsWith("$share/")) {
                int slash = filter.indexOf('/', 7);
                String inner = filter.substring(slash + 1);
                if (ReferenceMatcher.matches(inner, topic)) {
                    groups.computeIfAbsent("G " + filter.substring(7, slash) + " " + inner, k -> new TreeSet<>())
                            .add(subscriber + ":" + id);
                }
            } else if (ReferenceMatcher.matches(filter, topic)) {
                out.add(subscriber + " " + filter + " " + id);
            }
        }));
        out.sort(null);
        groups.forEach((k, v) -> out.add(k + " " + v));
        return out;
    }

    private static List<String> actual(TopicTree<String> tree, String topic) {
        Collector<String> c = Collector.match(tree, topic);
        List<String> out = new ArrayList<>();
        for (Subscription<String> s : c.subscriptions) {
            out.add(s.subscriber() + " " + s.filter() + " " + s.subscriptionIdentifier());
        }
        out.sort(null);
        Map<String, TreeSet<String>> groups = new TreeMap<>();
        for (SharedGroup<String> g : c.groups) {
            TreeSet<String> members = new TreeSet<>();
            for (int i = 0; i < g.size(); i++) {
                members.add(g.member(i).subscriber() + ":" + g.member(i).subscriptionIdentifier());
            }
            String key = "G " + g.shareName() + " " + g.filter();
            if (groups.put(key, members) != null) {
                out.add("DUPLICATE " + key); // a group must be reported once
            }
        }
        groups.forEach((k, v) -> out.add(k + " " + v));
        return out;
    }

    private static String randomFilter(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(5) == 0) {
            sb.append("$share/").append(SHARE_NAMES[rnd.nextInt(SHARE_NAMES.length)]).append('/');
        }
        int innerStart = sb.length();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            int r = rnd.nextInt(10);
            if (i == n - 1 && r < 2) {
                sb.append('#');
            } else if (r < 4) {
                sb.append('+');
            } else {
                sb.append(LEVELS[rnd.nextInt(i == 0 ? LEVELS.length : LEVELS.length - 1)]);
            }
        }
        if (sb.length() == innerStart) {
            sb.append('/'); // a single empty level is an empty filter; two empty levels ("/") are valid
        }
        return sb.toString();
    }

    private static String randomTopic(Random rnd) {
        int n = 1 + rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(LEVELS[rnd.nextInt(LEVELS.length)]);
        }
        return sb.toString();
    }
}
