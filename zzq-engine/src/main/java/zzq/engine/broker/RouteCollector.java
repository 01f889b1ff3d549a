package zzq.engine.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zzq.codec.QoS;
import zzq.engine.broker.topic.MatchVisitor;
import zzq.engine.broker.topic.SharedGroup;
import zzq.engine.broker.topic.Subscription;

/**
 * Gathers the subscriptions a topic matches into one delivery per session (MQTT 5.0 section 3.3.4: overlapping
 * subscriptions of one client give one message, at the highest QoS, with every matching Subscription Identifier)
 * plus one per shared group. Reused by one thread for one publish at a time.
 */
final class RouteCollector implements MatchVisitor<Session> {
    /** The delivery to one session: the strongest of its matching subscriptions. */
    static final class Target {
        QoS qos;
        boolean retainAsPublished;
        int[] subscriptionIds;
    }

    final Map<Session, Target> targets = new HashMap<>();
    final List<SharedGroup<Session>> groups = new ArrayList<>();
    private String publisherId;
    /** The stored message's identity for this publish, once a persistent session records it; 0 before. */
    long messageId;
    /**
     * Whether this thread's current publish recorded anything durable (set by routing and retaining, cleared by
     * {@link BrokerRouting#beginPublish}): its acknowledgement must wait for the store.
     */
    boolean recorded;

    void reset(String publisher) {
        targets.clear();
        groups.clear();
        publisherId = publisher;
        messageId = 0;
    }

    @Override
    public void subscription(Subscription<Session> s) {
        Session session = s.subscriber();
        if (s.options().noLocal() && session.clientId.equals(publisherId)) {
            return; // MQTT-3.8.3-3
        }
        Target t = targets.get(session);
        if (t == null) {
            t = new Target();
            t.qos = s.options().qos();
            targets.put(session, t);
        } else if (s.options().qos().value() > t.qos.value()) {
            t.qos = s.options().qos();
        }
        t.retainAsPublished |= s.options().retainAsPublished();
        if (s.subscriptionIdentifier() != 0) {
            t.subscriptionIds = append(t.subscriptionIds, s.subscriptionIdentifier());
        }
    }

    @Override
    public void sharedGroup(SharedGroup<Session> group) {
        groups.add(group);
    }

    static int[] append(int[] ids, int id) {
        if (ids == null) {
            return new int[] {id};
        }
        int[] more = java.util.Arrays.copyOf(ids, ids.length + 1);
        more[ids.length] = id;
        return more;
    }
}
