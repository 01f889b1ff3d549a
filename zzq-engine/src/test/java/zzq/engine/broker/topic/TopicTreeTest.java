package zzq.engine.broker.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.codec.MalformedPacketException;
import zzq.codec.QoS;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.SubscriptionOptions;

/**
 * Proves {@link TopicTree}'s matching against the examples of MQTT 5.0 sections 4.7.1 and 4.7.2, and its
 * subscribe/replace/unsubscribe/pruning/shared-group bookkeeping.
 */
class TopicTreeTest {
    private static final SubscriptionOptions Q0 = SubscriptionOptions.of(QoS.AT_MOST_ONCE);
    private static final SubscriptionOptions Q1 = SubscriptionOptions.of(QoS.AT_LEAST_ONCE);

    private final TopicTree<String> tree = new TopicTree<>();

    private boolean matches(String filter, String topic) {
        TopicTree<String> t = new TopicTree<>();
        t.subscribe("c", filter, Q0, 0);
        Collector<String> c = Collector.match(t, topic);
        int hits = c.subscriptions.size();
        assertTrue(hits <= 1, () -> filter + " reported " + hits + " times for " + topic);
        // The same filter, shared, must match exactly the same topics.
        TopicTree<String> shared = new TopicTree<>();
        shared.subscribe("c", "$share/g/" + filter, Q0, 0);
        Collector<String> s = Collector.match(shared, topic);
        assertEquals(hits, s.groups.size(), () -> "shared and non-shared disagree: " + filter + " vs " + topic);
        assertTrue(s.subscriptions.isEmpty());
        return hits == 1;
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        // 4.7.1.2 multi-level wildcard
        "sport/tennis/player1/#|sport/tennis/player1|true",
        "sport/tennis/player1/#|sport/tennis/player1/ranking|true",
        "sport/tennis/player1/#|sport/tennis/player1/score/wimbledon|true",
        "sport/tennis/player1/#|sport/tennis/player2|false",
        "sport/tennis/player1/#|sport/tennis|false",
        "sport/#|sport|true",
        "sport/#|sport/|true",
        "sport/#|sports|false",
        "#|sport|true",
        "#|/|true",
        "#|a/b/c/d|true",
        // 4.7.1.3 single-level wildcard
        "sport/tennis/+|sport/tennis/player1|true",
        "sport/tennis/+|sport/tennis/player2|true",
        "sport/tennis/+|sport/tennis/player1/ranking|false",
        "sport/+|sport|false",
        "sport/+|sport/|true",
        "+/+|/finance|true",
        "/+|/finance|true",
        "+|/finance|false",
        "+|finance|true",
        "+/tennis/#|sport/tennis|true",
        "+/tennis/#|sport/tennis/x/y|true",
        "+/tennis/#|sport/soccer|false",
        "+/#|a|true",
        // empty levels
        "a//b|a//b|true",
        "a//b|a/b|false",
        "a/+/b|a//b|true",
        "+/+/+|//|true",
        "+/+|//|false",
        "/a|/a|true",
        "/a|a|false",
        "a/|a/|true",
        "a/|a|false",
        "a/+|a/|true",
        "+|a/|false",
        // 4.7.2 topics beginning with $
        "#|$SYS/broker|false",
        "+/monitor/Clients|$SYS/monitor/Clients|false",
        "$SYS/#|$SYS/monitor/Clients|true",
        "$SYS/#|$SYS|true",
        "$SYS/monitor/+|$SYS/monitor/Clients|true",
        "+|$SYS|false",
        "#|$|false",
        "$SYS/+|$SYS/x|true",
        "a/#|a/$SYS|true",
        "a/+|a/$x|true",
        "+/$x|a/$x|true",
        // literals
        "sport/tennis|sport/tennis|true",
        "sport/tennis|Sport/tennis|false",
        "sport/tennis|sport/tennis/|false",
    })
    void specExamples(String filter, String topic, boolean expected) {
        assertEquals(expected, matches(filter, topic), () -> filter + " vs " + topic);
    }

    @Test
    void overlappingSubscriptionsAreAllReported() {
        tree.subscribe("a", "sport/#", Q0, 1);
        tree.subscribe("a", "sport/+/player1", Q1, 2);
        tree.subscribe("a", "sport/tennis/player1", Q0, 3);
        tree.subscribe("a", "#", Q0, 4);
        tree.subscribe("b", "sport/tennis/+", Q1, 0);
        tree.subscribe("b", "other", Q1, 0);
        assertEquals(List.of("a #", "a sport/#", "a sport/+/player1", "a sport/tennis/player1", "b sport/tennis/+"),
                Collector.match(tree, "sport/tennis/player1").sorted());
        assertEquals(List.of("a #", "b other"), Collector.match(tree, "other").sorted());
        assertEquals(List.of(), Collector.match(tree, "$SYS/x").sorted());
        assertEquals(6, tree.subscriptionCount());
    }

    @Test
    void matchReportsTheStoredOptionsAndIdentifier() {
        SubscriptionOptions options = new SubscriptionOptions(QoS.EXACTLY_ONCE, true, true,
                RetainHandling.DO_NOT_SEND);
        tree.subscribe("a", "x/+", options, 77);
        Collector<String> c = Collector.match(tree, "x/y");
        assertEquals(1, c.subscriptions.size());
        Subscription<String> s = c.subscriptions.get(0);
        assertEquals("a", s.subscriber());
        assertEquals("x/+", s.filter());
        assertEquals("x/+", s.topicFilter());
        assertNull(s.shareName());
        assertFalse(s.isShared());
        assertSame(options, s.options());
        assertEquals(77, s.subscriptionIdentifier());
    }

    @Test
    void resubscribingReplacesOptionsAndReportsReplacement() {
        assertFalse(tree.subscribe("a", "t/#", Q0, 1));
        assertFalse(tree.subscribe("b", "t/#", Q0, 0));
        assertTrue(tree.subscribe("a", "t/#", Q1, 9));
        assertEquals(2, tree.subscriptionCount());
        Collector<String> c = Collector.match(tree, "t/x");
        assertEquals(List.of("a t/#", "b t/#"), c.sorted());
        Subscription<String> a = c.subscriptions.stream().filter(s -> s.subscriber().equals("a")).findFirst()
                .orElseThrow();
        assertEquals(QoS.AT_LEAST_ONCE, a.options().qos());
        assertEquals(9, a.subscriptionIdentifier());
        // A different filter is a different subscription, even when it matches the same topics.
        assertFalse(tree.subscribe("a", "t/+", Q0, 0));
        assertEquals(3, tree.subscriptionCount());
        assertEquals(2, tree.subscriptionsOf("a").size());
    }

    @Test
    void unsubscribeRemovesOnlyThatFilterAndPrunes() {
        int baseline = tree.nodeCount();
        assertEquals(0, baseline);
        tree.subscribe("a", "a/b/c", Q0, 0);
        tree.subscribe("a", "a/+/c/#", Q0, 0);
        tree.subscribe("b", "a/b/c", Q0, 0);
        tree.subscribe("b", "a//", Q0, 0);
        assertEquals(3 + 3 + 2, tree.nodeCount()); // a,b,c + +,c,# + ("",""); "a" shared
        assertFalse(tree.unsubscribe("a", "a/b"));
        assertFalse(tree.unsubscribe("c", "a/b/c"));
        assertFalse(tree.unsubscribe("a", "a//"));
        assertTrue(tree.unsubscribe("a", "a/b/c"));
        assertFalse(tree.unsubscribe("a", "a/b/c"));
        assertEquals(List.of("a a/+/c/#", "b a/b/c"), Collector.match(tree, "a/b/c").sorted());
        assertEquals(3 + 3 + 2, tree.nodeCount()); // b still holds a/b/c
        assertTrue(tree.unsubscribe("b", "a/b/c"));
        assertEquals(1 + 3 + 2, tree.nodeCount());
        assertTrue(tree.unsubscribe("a", "a/+/c/#"));
        assertEquals(1 + 2, tree.nodeCount());
        assertEquals(List.of("b a//"), Collector.match(tree, "a//").sorted());
        assertTrue(tree.unsubscribe("b", "a//"));
        assertEquals(baseline, tree.nodeCount());
        assertEquals(0, tree.subscriptionCount());
        assertEquals(List.of(), Collector.match(tree, "a/b/c").sorted());
    }

    @Test
    void unsubscribeAllRemovesEverySubscriptionOfOneSubscriber() {
        tree.subscribe("keep", "k/#", Q0, 0);
        int baseline = tree.nodeCount();
        int base = tree.subscriptionCount();
        tree.subscribe("gone", "k/#", Q0, 0);
        tree.subscribe("gone", "x/y/z", Q0, 0);
        tree.subscribe("gone", "+/+", Q0, 0);
        tree.subscribe("gone", "$share/g/x/y/z", Q0, 0);
        tree.subscribe("gone", "$share/h/k/#", Q0, 0);
        tree.subscribe("other", "$share/g/x/y/z", Q0, 0);
        assertEquals(base + 6, tree.subscriptionCount());
        assertEquals(5, tree.unsubscribeAll("gone"));
        assertEquals(0, tree.unsubscribeAll("gone"));
        assertEquals(List.of(), tree.subscriptionsOf("gone"));
        assertEquals(base + 1, tree.subscriptionCount());
        assertEquals(List.of("keep k/#"), Collector.match(tree, "k/1").sorted());
        assertEquals(List.of("g x/y/z [other]"), Collector.match(tree, "x/y/z").sortedGroups());
        assertEquals(List.of(), Collector.match(tree, "x/y/z").sorted());
        assertEquals(1, tree.unsubscribeAll("other"));
        assertEquals(baseline, tree.nodeCount());
        assertEquals(base, tree.subscriptionCount());
    }

    @Test
    void sharedGroupsAreReportedOncePerGroupWithAllMembers() {
        assertFalse(tree.subscribe("a", "$share/g1/s/+", Q0, 0));
        assertFalse(tree.subscribe("b", "$share/g1/s/+", Q1, 5));
        assertFalse(tree.subscribe("c", "$share/g1/s/+", Q0, 0));
        assertFalse(tree.subscribe("a", "$share/g2/s/+", Q0, 0));
        assertFalse(tree.subscribe("d", "$share/g2/s/#", Q0, 0)); // same ShareName, other filter: other group
        assertFalse(tree.subscribe("a", "s/+", Q0, 0)); // same inner filter, non-shared
        assertEquals(6, tree.subscriptionCount());

        Collector<String> c = Collector.match(tree, "s/x");
        assertEquals(List.of("a s/+"), c.sorted());
        assertEquals(List.of("g1 s/+ [a, b, c]", "g2 s/# [d]", "g2 s/+ [a]"), c.sortedGroups());
        SharedGroup<String> g1 = c.groups.stream().filter(g -> g.shareName().equals("g1")).findFirst().orElseThrow();
        assertEquals(3, g1.size());
        assertEquals("a", g1.member(0).subscriber());
        assertEquals("b", g1.member(1).subscriber());
        assertEquals("$share/g1/s/+", g1.member(1).filter());
        assertEquals("s/+", g1.member(1).topicFilter());
        assertEquals("g1", g1.member(1).shareName());
        assertTrue(g1.member(1).isShared());
        assertEquals(5, g1.member(1).subscriptionIdentifier());

        // Replacing a member keeps its place and changes its options; the old snapshot is untouched.
        assertTrue(tree.subscribe("b", "$share/g1/s/+", Q0, 6));
        SharedGroup<String> g1b = Collector.match(tree, "s/x").groups.stream()
                .filter(g -> g.shareName().equals("g1")).findFirst().orElseThrow();
        assertEquals(6, g1b.member(1).subscriptionIdentifier());
        assertEquals(5, g1.member(1).subscriptionIdentifier());
        assertEquals(6, tree.subscriptionCount());

        assertEquals(List.of("g2 s/# [d]"), Collector.match(tree, "s").sortedGroups());

        // Members leave; the last one takes the group with it.
        assertTrue(tree.unsubscribe("a", "$share/g1/s/+"));
        assertEquals(List.of("g1 s/+ [b, c]", "g2 s/# [d]", "g2 s/+ [a]"),
                Collector.match(tree, "s/x").sortedGroups());
        assertEquals(List.of("a s/+"), Collector.match(tree, "s/x").sorted());
        assertFalse(tree.unsubscribe("a", "$share/g1/s/+"));
        assertTrue(tree.unsubscribe("b", "$share/g1/s/+"));
        assertTrue(tree.unsubscribe("c", "$share/g1/s/+"));
        assertEquals(List.of("g2 s/# [d]", "g2 s/+ [a]"), Collector.match(tree, "s/x").sortedGroups());
        assertTrue(tree.unsubscribe("a", "s/+"));
        assertEquals(List.of("g2 s/# [d]", "g2 s/+ [a]"), Collector.match(tree, "s/x").sortedGroups());
        tree.unsubscribeAll("a");
        tree.unsubscribeAll("d");
        assertEquals(0, tree.nodeCount());
        assertEquals(0, tree.subscriptionCount());
    }

    @Test
    void sharedWildcardFiltersObeyTheDollarRule() {
        tree.subscribe("a", "$share/g/#", Q0, 0);
        tree.subscribe("b", "$share/g/$SYS/#", Q0, 0);
        assertEquals(List.of("g $SYS/# [b]"), Collector.match(tree, "$SYS/x").sortedGroups());
        assertEquals(List.of("g # [a]"), Collector.match(tree, "x").sortedGroups());
    }

    @Test
    void subscriptionsOfListsTheCurrentSubscriptions() {
        tree.subscribe("a", "x", Q0, 1);
        tree.subscribe("a", "$share/g/x", Q1, 2);
        tree.subscribe("a", "x", Q1, 3);
        List<String> got = tree.subscriptionsOf("a").stream()
                .map(s -> s.filter() + " " + s.options().qos() + " " + s.subscriptionIdentifier()).sorted()
                .toList();
        assertEquals(List.of("$share/g/x AT_LEAST_ONCE 2", "x AT_LEAST_ONCE 3"), got);
        assertEquals(List.of(), tree.subscriptionsOf("nobody"));
    }

    @ParameterizedTest
    @CsvSource({"'', MQTT-4.7.3-1", "a/#/b, MQTT-4.7.1-1", "a#, MQTT-4.7.1-1", "a+/b, MQTT-4.7.1-2",
        "$share//a, MQTT-4.8.2-1", "$share/g, MQTT-4.8.2-2", "$share/g/, MQTT-4.8.2-2", "$share/g+/a, MQTT-4.8.2-2"})
    void malformedFiltersAreRejectedAndLeaveNoTrace(String filter, String rule) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> tree.subscribe("a", filter, Q0, 0));
        assertEquals(rule, e.rule());
        assertEquals(0, tree.nodeCount());
        assertEquals(0, tree.subscriptionCount());
        assertEquals(rule, assertThrows(MalformedPacketException.class, () -> tree.unsubscribe("a", filter)).rule());
    }

    @Test
    void subscriptionIdentifierRangeIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> tree.subscribe("a", "x", Q0, -1));
        assertThrows(IllegalArgumentException.class,
                () -> tree.subscribe("a", "x", Q0, TopicTree.MAX_SUBSCRIPTION_IDENTIFIER + 1));
        assertEquals(0, tree.nodeCount());
        assertFalse(tree.subscribe("a", "x", Q0, TopicTree.MAX_SUBSCRIPTION_IDENTIFIER));
        assertEquals(TopicTree.MAX_SUBSCRIPTION_IDENTIFIER,
                Collector.match(tree, "x").subscriptions.get(0).subscriptionIdentifier());
    }
}
