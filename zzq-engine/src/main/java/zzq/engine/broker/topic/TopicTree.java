package zzq.engine.broker.topic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import zzq.codec.Topics;
import zzq.codec.packet.SubscriptionOptions;

/**
 * The broker's subscriptions, indexed by topic filter level so that a topic is matched in time proportional to
 * the matching branches of the tree rather than to the number of subscriptions (MQTT 5.0 section 4.7).
 *
 * <p>Each node is one filter level. A node holds its literal children in a {@link ConcurrentHashMap}, its
 * {@code +} and {@code #} children in volatile fields, and its subscriptions in copy-on-write volatile arrays:
 * one of non-shared {@link Subscription}s and one of immutable {@link SharedGroup}s. A shared filter
 * {@code $share/{ShareName}/{filter}} lives under the node of its inner {@code filter}, as a member of the group
 * of that ShareName; the same subscriber may hold the inner filter non-shared and in any number of groups.
 *
 * <p>Matching rules: levels are split on {@code /} and empty levels are levels ({@code a//b}, {@code /a});
 * {@code +} matches exactly one level, empty included; {@code #} matches its parent level and any number of
 * child levels ({@code sport/#} matches {@code sport}); filters whose first level is {@code +} or {@code #} do
 * not match topics that begin with {@code $} (MQTT-4.7.2-1), shared or not.
 *
 * <p><b>Concurrency.</b> {@link #match} takes no lock and may run on any number of threads at once. Writers
 * ({@link #subscribe}, {@link #unsubscribe}, {@link #unsubscribeAll}) are serialized by one internal lock and
 * publish every change by replacing a whole immutable array (or group) in a volatile field, so a match never
 * sees a torn state: it sees every subscription either as it was before a concurrent write or as it is after.
 * A match that runs concurrently with a write may or may not see that write; a match that starts after a write
 * returned (in happens-before order: the same thread, or one that learned of the write through a synchronizing
 * action) sees it. A subscription that is not being changed is always found, because a node is only pruned
 * when it holds no subscription and has no children. {@link #subscriptionCount()} is a volatile read.
 *
 * <p>Unsubscribing removes nodes that became empty, up to the root, so churn does not leak nodes. A per-subscriber
 * index of filters makes {@link #unsubscribeAll} proportional to that subscriber's subscriptions.
 *
 * <p>Cost: subscribe and unsubscribe copy the array of the node they change, so they are linear in the number of
 * subscriptions to that exact filter. Matching allocates no collections; it allocates one substring per level
 * it looks up among literal children (the hash key).
 *
 * @param <S> the subscriber handle type (a session, say); compared with {@code equals} and {@code hashCode}
 */
public final class TopicTree<S> {
    /** The largest Subscription Identifier (a Variable Byte Integer, MQTT 5.0 section 3.8.2.1.2). */
    public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

    private static final Subscription<?>[] NO_SUBSCRIPTIONS = new Subscription<?>[0];
    private static final SharedGroup<?>[] NO_GROUPS = new SharedGroup<?>[0];

    private final Node<S> root = new Node<>(null, "");
    private final Object writeLock = new Object();
    /** Guarded by writeLock: each subscriber's filters (as subscribed) and the node that holds each. */
    private final Map<S, Map<String, Node<S>>> bySubscriber = new HashMap<>();
    private volatile int subscriptionCount;

    /**
     * Adds a subscription, or replaces the one this subscriber already holds for exactly this filter (its
     * options and identifier change; a shared member keeps its place in the group).
     *
     * @param subscriber             the subscriber
     * @param filter                 a topic filter, possibly {@code $share/{ShareName}/{filter}}
     * @param options                the subscription options
     * @param subscriptionIdentifier the Subscription Identifier, or 0 for none
     * @return whether a subscription of this subscriber to this filter existed and was replaced (for Retain
     *         Handling 1, MQTT 5.0 section 3.8.3.1)
     * @throws zzq.codec.MalformedPacketException if the filter breaks the syntax of section 4.7 or 4.8.2
     * @throws IllegalArgumentException           if the identifier is outside 0..268,435,455
     */
    public boolean subscribe(S subscriber, String filter, SubscriptionOptions options, int subscriptionIdentifier) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        Topics.checkFilter(filter);
        if (subscriptionIdentifier < 0 || subscriptionIdentifier > MAX_SUBSCRIPTION_IDENTIFIER) {
            throw new IllegalArgumentException("subscription identifier " + subscriptionIdentifier
                    + " is outside 0.." + MAX_SUBSCRIPTION_IDENTIFIER);
        }
        String shareName = shareName(filter);
        String inner = shareName == null ? filter : innerFilter(filter, shareName);
        Subscription<S> subscription = new Subscription<>(subscriber, filter, shareName, options,
                subscriptionIdentifier);
        synchronized (writeLock) {
            Node<S> node = root;
            int start = 0;
            while (true) {
                int end = levelEnd(inner, start);
                node = node.childForWrite(inner.substring(start, end));
                if (end == inner.length()) {
                    break;
                }
                start = end + 1;
            }
            boolean replaced = shareName == null ? node.putSubscription(subscription)
                    : node.putMember(shareName, inner, subscription);
            if (!replaced) {
                bySubscriber.computeIfAbsent(subscriber, s -> new HashMap<>()).put(filter, node);
                subscriptionCount++;
            }
            return replaced;
        }
    }

    /**
     * Removes this subscriber's subscription to exactly this filter, if it has one.
     *
     * @return whether there was one
     * @throws zzq.codec.MalformedPacketException if the filter breaks the syntax of section 4.7 or 4.8.2
     */
    public boolean unsubscribe(S subscriber, String filter) {
        Objects.requireNonNull(subscriber, "subscriber");
        Topics.checkFilter(filter);
        synchronized (writeLock) {
            Map<String, Node<S>> filters = bySubscriber.get(subscriber);
            if (filters == null) {
                return false;
            }
            Node<S> node = filters.remove(filter);
            if (node == null) {
                return false;
            }
            if (filters.isEmpty()) {
                bySubscriber.remove(subscriber);
            }
            remove(node, subscriber, shareName(filter));
            return true;
        }
    }

    /**
     * Removes every subscription of this subscriber, as when its session ends.
     *
     * @return how many subscriptions were removed
     */
    public int unsubscribeAll(S subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        synchronized (writeLock) {
            Map<String, Node<S>> filters = bySubscriber.remove(subscriber);
            if (filters == null) {
                return 0;
            }
            for (Map.Entry<String, Node<S>> e : filters.entrySet()) {
                remove(e.getValue(), subscriber, shareName(e.getKey()));
            }
            return filters.size();
        }
    }

    /** A snapshot of this subscriber's subscriptions, in no particular order. */
    public List<Subscription<S>> subscriptionsOf(S subscriber) {
        synchronized (writeLock) {
            Map<String, Node<S>> filters = bySubscriber.get(subscriber);
            List<Subscription<S>> result = new ArrayList<>(filters == null ? 0 : filters.size());
            if (filters != null) {
                for (Map.Entry<String, Node<S>> e : filters.entrySet()) {
                    result.add(e.getValue().find(subscriber, shareName(e.getKey())));
                }
            }
            return result;
        }
    }

    /** The number of subscriptions, each member of a shared group counting as one. */
    public int subscriptionCount() {
        return subscriptionCount;
    }

    /**
     * Reports every subscription whose filter matches this topic name: each non-shared one to
     * {@link MatchVisitor#subscription}, and each shared group once to {@link MatchVisitor#sharedGroup}. Takes no
     * lock; see the class comment for what it sees of concurrent writes.
     *
     * @param topic a topic name as PUBLISH carries it (not checked here: the decoder checks it)
     */
    public void match(String topic, MatchVisitor<S> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        boolean dollar = !topic.isEmpty() && topic.charAt(0) == '$';
        Node<S> r = root;
        if (!dollar) {
            Node<S> hash = r.hash;
            if (hash != null) {
                hash.report(visitor);
            }
            Node<S> plus = r.plus;
            if (plus != null) {
                match(plus, topic, levelEnd(topic, 0) + 1, visitor);
            }
        }
        matchLiteral(r, topic, 0, visitor);
    }

    /** Matches the levels of {@code topic} from {@code start} (past its end: none left) below {@code node}. */
    private static <S> void match(Node<S> node, String topic, int start, MatchVisitor<S> visitor) {
        if (start > topic.length()) {
            node.report(visitor);
            Node<S> hash = node.hash;
            if (hash != null) {
                hash.report(visitor);
            }
            return;
        }
        Node<S> hash = node.hash;
        if (hash != null) {
            hash.report(visitor);
        }
        Node<S> plus = node.plus;
        if (plus != null) {
            match(plus, topic, levelEnd(topic, start) + 1, visitor);
        }
        matchLiteral(node, topic, start, visitor);
    }

    private static <S> void matchLiteral(Node<S> node, String topic, int start, MatchVisitor<S> visitor) {
        ConcurrentHashMap<String, Node<S>> children = node.children;
        if (!children.isEmpty()) {
            int end = levelEnd(topic, start);
            Node<S> child = children.get(topic.substring(start, end));
            if (child != null) {
                match(child, topic, end + 1, visitor);
            }
        }
    }

    /** The number of nodes below the root; for tests of pruning. */
    int nodeCount() {
        return root.countDescendants();
    }

    private void remove(Node<S> node, S subscriber, String shareName) {
        boolean removed = shareName == null ? node.removeSubscription(subscriber)
                : node.removeMember(shareName, subscriber);
        if (!removed) {
            throw new IllegalStateException("index and tree disagree on " + subscriber + " at " + node.level);
        }
        subscriptionCount--;
        while (node != root && node.isEmpty()) {
            node.parent.removeChild(node);
            node = node.parent;
        }
    }

    private static int levelEnd(String s, int start) {
        int slash = s.indexOf('/', start);
        return slash < 0 ? s.length() : slash;
    }

    private static String shareName(String filter) {
        if (!Topics.isShared(filter)) {
            return null;
        }
        int from = Topics.SHARE_PREFIX.length();
        return filter.substring(from, filter.indexOf('/', from));
    }

    private static String innerFilter(String filter, String shareName) {
        return filter.substring(Topics.SHARE_PREFIX.length() + shareName.length() + 1);
    }

    /** One filter level. Fields read by matchers are volatile or concurrent; all writes hold the tree's lock. */
    private static final class Node<S> {
        final Node<S> parent;
        final String level;
        final ConcurrentHashMap<String, Node<S>> children = new ConcurrentHashMap<>(2);
        volatile Node<S> plus;
        volatile Node<S> hash;
        @SuppressWarnings("unchecked")
        volatile Subscription<S>[] subscriptions = (Subscription<S>[]) NO_SUBSCRIPTIONS;
        @SuppressWarnings("unchecked")
        volatile SharedGroup<S>[] groups = (SharedGroup<S>[]) NO_GROUPS;

        Node(Node<S> parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        void report(MatchVisitor<S> visitor) {
            for (Subscription<S> s : subscriptions) {
                visitor.subscription(s);
            }
            for (SharedGroup<S> g : groups) {
                visitor.sharedGroup(g);
            }
        }

        Node<S> childForWrite(String name) {
            switch (name) {
                case "+": {
                    Node<S> n = plus;
                    if (n == null) {
                        n = new Node<>(this, name);
                        plus = n;
                    }
                    return n;
                }
                case "#": {
                    Node<S> n = hash;
                    if (n == null) {
                        n = new Node<>(this, name);
                        hash = n;
                    }
                    return n;
                }
                default:
                    return children.computeIfAbsent(name, k -> new Node<>(this, k));
            }
        }

        void removeChild(Node<S> child) {
            if (child == plus) {
                plus = null;
            } else if (child == hash) {
                hash = null;
            } else {
                children.remove(child.level, child);
            }
        }

        boolean isEmpty() {
            return subscriptions.length == 0 && groups.length == 0 && plus == null && hash == null
                    && children.isEmpty();
        }

        /** Adds or replaces; returns whether it replaced. */
        boolean putSubscription(Subscription<S> s) {
            Subscription<S>[] subs = subscriptions;
            int i = indexOf(subs, s.subscriber());
            subscriptions = with(subs, i, s);
            return i >= 0;
        }

        /** Adds or replaces a member of the group of this ShareName, creating it; returns whether it replaced. */
        boolean putMember(String shareName, String innerFilter, Subscription<S> s) {
            SharedGroup<S>[] gs = groups;
            for (int g = 0; g < gs.length; g++) {
                if (gs[g].shareName().equals(shareName)) {
                    Subscription<S>[] members = gs[g].memberArray();
                    int i = indexOf(members, s.subscriber());
                    SharedGroup<S>[] copy = gs.clone();
                    copy[g] = new SharedGroup<>(shareName, innerFilter, with(members, i, s));
                    groups = copy;
                    return i >= 0;
                }
            }
            @SuppressWarnings("unchecked")
            Subscription<S>[] members = (Subscription<S>[]) new Subscription<?>[] {s};
            groups = with(gs, -1, new SharedGroup<>(shareName, innerFilter, members));
            return false;
        }

        boolean removeSubscription(S subscriber) {
            Subscription<S>[] subs = subscriptions;
            int i = indexOf(subs, subscriber);
            if (i < 0) {
                return false;
            }
            subscriptions = without(subs, i);
            return true;
        }

        boolean removeMember(String shareName, S subscriber) {
            SharedGroup<S>[] gs = groups;
            for (int g = 0; g < gs.length; g++) {
                if (gs[g].shareName().equals(shareName)) {
                    Subscription<S>[] members = gs[g].memberArray();
                    int i = indexOf(members, subscriber);
                    if (i < 0) {
                        return false;
                    }
                    if (members.length == 1) {
                        groups = without(gs, g);
                    } else {
                        SharedGroup<S>[] copy = gs.clone();
                        copy[g] = new SharedGroup<>(shareName, gs[g].filter(), without(members, i));
                        groups = copy;
                    }
                    return true;
                }
            }
            return false;
        }

        Subscription<S> find(S subscriber, String shareName) {
            if (shareName == null) {
                Subscription<S>[] subs = subscriptions;
                return subs[indexOf(subs, subscriber)];
            }
            for (SharedGroup<S> g : groups) {
                if (g.shareName().equals(shareName)) {
                    Subscription<S>[] members = g.memberArray();
                    return members[indexOf(members, subscriber)];
                }
            }
            throw new IllegalStateException("no group " + shareName);
        }

        int countDescendants() {
            int n = 0;
            for (Node<S> c : children.values()) {
                n += 1 + c.countDescendants();
            }
            Node<S> p = plus;
            if (p != null) {
                n += 1 + p.countDescendants();
            }
            Node<S> h = hash;
            if (h != null) {
                n += 1 + h.countDescendants();
            }
            return n;
        }

        /** A copy of {@code array} with {@code element} at {@code index}, or appended if {@code index} is -1. */
        private static <T> T[] with(T[] array, int index, T element) {
            T[] copy;
            if (index >= 0) {
                copy = array.clone();
                copy[index] = element;
            } else {
                copy = Arrays.copyOf(array, array.length + 1);
                copy[array.length] = element;
            }
            return copy;
        }

        private static <S> int indexOf(Subscription<S>[] subs, S subscriber) {
            for (int i = 0; i < subs.length; i++) {
                if (subs[i].subscriber().equals(subscriber)) {
                    return i;
                }
            }
            return -1;
        }

        private static <T> T[] without(T[] array, int index) {
            T[] copy = Arrays.copyOf(array, array.length - 1);
            System.arraycopy(array, index + 1, copy, index, array.length - index - 1);
            return copy;
        }
    }
}
