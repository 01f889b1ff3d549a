package zzq.engine.broker;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.spi.ClientIdentity;
import zzq.api.spi.Connection;
import zzq.api.spi.PacketHandler;
import zzq.api.spi.Persistence;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.Routing;
import zzq.codec.QoS;
import zzq.codec.packet.Will;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;
import zzq.engine.BrokerStatistics;
import zzq.engine.broker.topic.SharedGroup;
import zzq.engine.broker.topic.Subscription;
import zzq.engine.broker.topic.TopicTree;
import zzq.engine.core.Engine;

/**
 * The broker role: what every connection shares. The topic tree, the retained store and the sessions are read from
 * every event loop without locks; a message is matched on its publisher's loop and handed to each subscriber's
 * session on the session's loop, its payload shared, not copied.
 */
public final class BrokerRouting implements Routing {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerRouting.class);

    private final Engine engine;
    private final BrokerOptions options;
    private final TopicTree<Session> topics = new TopicTree<>();
    private final RetainedStore retained = new RetainedStore();
    private final Sessions sessions = new Sessions(this);
    private final SessionStore store;
    private final BrokerStats stats = new BrokerStats();
    private final SysTopics sys;
    private final long startedNanos = System.nanoTime();
    private final FastThreadLocal<RouteCollector> collectors = new FastThreadLocal<>() {
        @Override
        protected RouteCollector initialValue() {
            return new RouteCollector();
        }
    };

    public BrokerRouting(Engine engine, BrokerOptions options) {
        this.engine = engine;
        this.options = options;
        this.sys = new SysTopics(this);
        this.store = new SessionStore(options.persistence());
        loadRetained();
        SessionRestore.restore(this, engine.group());
        sys.start(engine.group(), options.sysInterval());
    }

    /** Warms the retained store from the persistence backend. */
    private void loadRetained() {
        long nowMillis = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        for (StoredMessage stored : options.persistence().loadRetained()) {
            long expiresAt = 0;
            if (stored.expiresAtMillis() != 0) {
                long left = stored.expiresAtMillis() - nowMillis;
                if (left <= 0) {
                    continue;
                }
                expiresAt = expiresAt(nowNanos, (left + 999) / 1000);
            }
            Message m = new Message(stored.topic(), stored.qos(), true, stored.properties(),
                    Unpooled.wrappedBuffer(stored.payload()), expiresAt, null);
            try {
                retained.put(m);
            } finally {
                m.payload().release();
            }
        }
    }

    /**
     * Sets or clears (empty payload) the retained message of a topic, and records it with a durable backend. Takes
     * no ownership of the payload.
     */
    void retain(Message m) {
        retained.put(m);
        Persistence p = options.persistence();
        if (!p.durable()) {
            return;
        }
        collectors.get().recorded = true;
        if (m.payload().readableBytes() == 0) {
            p.removeRetained(m.topic());
        } else {
            long expiresAtMillis = m.expires() ? System.currentTimeMillis()
                    + (m.expiresAtNanos() - System.nanoTime()) / 1_000_000L : 0;
            p.retain(new StoredMessage(m.topic(), m.qos(), true, m.properties(), m.payload().nioBuffer(),
                    expiresAtMillis));
        }
    }

    @Override
    public PacketHandler accepted(Connection connection) {
        return new ClientConnection(this, connection);
    }

    BrokerOptions options() {
        return options;
    }

    TopicTree<Session> topics() {
        return topics;
    }

    RetainedStore retained() {
        return retained;
    }

    Sessions sessions() {
        return sessions;
    }

    SessionStore store() {
        return store;
    }

    /**
     * Whether the last {@link #route} or {@link #retain} on this thread recorded anything with the durable backend:
     * the publisher's acknowledgement must then wait until it is durable.
     */
    boolean recordedOnThisThread() {
        return collectors.get().recorded;
    }

    /** Starts a publish's bookkeeping on this thread: nothing recorded yet. */
    void beginPublish() {
        collectors.get().recorded = false;
    }

    BrokerStats stats() {
        return stats;
    }

    /**
     * Delivers a message to every session subscribed to its topic (one delivery per session, one per shared group).
     * Takes no ownership of the payload: each delivery retains its own reference.
     *
     * @param publisher the publishing connection, to pause when a subscriber's queue is full; {@code null} for the
     *                  broker's own messages and wills
     * @return the number of deliveries
     */
    int route(Message message, ClientConnection publisher) {
        RouteCollector rc = collectors.get();
        rc.reset(message.publisherId());
        try {
            topics.match(message.topic(), rc);
            int delivered = 0;
            for (Map.Entry<Session, RouteCollector.Target> e : rc.targets.entrySet()) {
                RouteCollector.Target t = e.getValue();
                if (deliver(message, e.getKey(), t.qos, t.retainAsPublished, t.subscriptionIds, publisher, rc)) {
                    delivered++;
                }
            }
            for (SharedGroup<Session> group : rc.groups) {
                Subscription<Session> member = pick(group, message.topic());
                if (member != null && deliver(message, member.subscriber(), member.options().qos(),
                        member.options().retainAsPublished(), ids(member), publisher, rc)) {
                    delivered++;
                }
            }
            return delivered;
        } finally {
            rc.reset(null);
        }
    }

    private static int[] ids(Subscription<Session> s) {
        return s.subscriptionIdentifier() == 0 ? null : new int[] {s.subscriptionIdentifier()};
    }

    /**
     * One member of a shared group: of two members picked at random among the connected ones, the one with less
     * queued (the "power of two choices": near-even load without a shared counter); a disconnected member only when
     * none is connected, so its session keeps the message.
     */
    private Subscription<Session> pick(SharedGroup<Session> group, String topic) {
        int n = group.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Subscription<Session> best = null;
        int start = random.nextInt(n);
        int seen = 0;
        for (int i = 0; i < n && seen < 2; i++) {
            Subscription<Session> s = group.member((start + i) % n);
            if (s.subscriber().online && options.authorizer().canReceive(s.subscriber().identity(), topic)) {
                seen++;
                if (best == null || s.subscriber().backlog() < best.subscriber().backlog()) {
                    best = s;
                }
            }
        }
        return best != null ? best : group.member(start);
    }

    private boolean deliver(Message m, Session session, QoS subscribed, boolean retainAsPublished, int[] ids,
                            ClientConnection publisher, RouteCollector rc) {
        if (!options.authorizer().canReceive(session.identity(), m.topic())) {
            return false;
        }
        QoS qos = m.qos().min(subscribed); // MQTT-3.8.4-8: the lower of published and granted
        m.payload().retain();
        Outgoing o = new Outgoing(m, qos, retainAsPublished && m.retain(), ids);
        if (qos != QoS.AT_MOST_ONCE && session.isPersistent()) {
            // recorded here, on the publisher's thread, so that the publisher's acknowledgement waits for it
            if (rc.messageId == 0) {
                rc.messageId = store.nextId();
            }
            record(session, o, rc.messageId);
            rc.recorded = true;
        }
        session.execute(() -> session.offer(o));
        if (publisher != null && qos != QoS.AT_MOST_ONCE && session.online && session.isCongested()) {
            publisher.pauseFor(session);
        }
        return true;
    }

    /** Sends retained messages matching a new subscription to its session (retained flag set, MQTT-3.3.1-9). */
    void sendRetained(Session session, String filter, QoS granted, int subscriptionId) {
        int[] ids = subscriptionId == 0 ? null : new int[] {subscriptionId};
        retained.forEachMatching(filter, m -> {
            if (!options.authorizer().canReceive(session.identity(), m.topic())) {
                m.payload().release();
                return;
            }
            Outgoing o = new Outgoing(m, m.qos().min(granted), true, ids);
            if (o.qos != QoS.AT_MOST_ONCE && session.isPersistent()) {
                record(session, o, store.nextId());
            }
            session.execute(() -> session.offer(o));
        });
    }

    /** Records a delivery to a persistent session before the session takes it. */
    private void record(Session session, Outgoing o, long messageId) {
        o.sequence = store.nextId();
        o.messageId = messageId;
        store.saveDelivery(session.clientId, o);
    }

    /** Publishes a will message (its delay has passed or its session ended). */
    void publishWill(String clientId, ClientIdentity identity, Will will) {
        if (identity != null && !options.authorizer().canPublish(identity, will.topic())) {
            LOG.debug("will of {} on {} refused by the authorizer", clientId, will.topic());
            return;
        }
        Properties props = will.properties();
        long expiry = props.integerOr(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
        Properties forwarded = props.isEmpty() ? props : props.toBuilder()
                .remove(PropertyId.WILL_DELAY_INTERVAL).remove(PropertyId.MESSAGE_EXPIRY_INTERVAL).build();
        Message m = new Message(will.topic(), will.qos(), will.retain(), forwarded,
                Unpooled.wrappedBuffer(will.payload().toByteArray()),
                expiry < 0 ? 0 : expiresAt(System.nanoTime(), expiry), clientId);
        try {
            if (m.retain()) {
                retain(m);
            }
            route(m, null);
        } finally {
            m.payload().release();
        }
    }

    /** The nanoTime at which a message published now with this Message Expiry Interval expires (never 0). */
    static long expiresAt(long now, long seconds) {
        long at = now + seconds * 1_000_000_000L;
        return at == 0 ? 1 : at;
    }

    /** Publishes one of the broker's own messages ({@code $SYS}), retained, at QoS 0. */
    void publishOwn(String topic, String payload) {
        Message m = new Message(topic, QoS.AT_MOST_ONCE, true, Properties.EMPTY,
                Unpooled.wrappedBuffer(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, null);
        try {
            retained.put(m); // $SYS figures are not worth persisting
            route(m, null);
        } finally {
            m.payload().release();
        }
    }

    /** A snapshot of the figures. */
    public BrokerStatistics statistics() {
        var t = engine.stats();
        return new BrokerStatistics((System.nanoTime() - startedNanos) / 1_000_000_000L, stats.connectedCount(),
                sessions.count(), stats.maximumConnected(), t.messagesReceived(), t.messagesSent(),
                t.publishReceived(), t.publishSent(), stats.droppedCount(), t.bytesReceived(), t.bytesSent(),
                topics.subscriptionCount(), retained.size(), sessions.held(), stats.publishersPausedCount());
    }

    @Override
    public void close() {
        sys.stop();
        sessions.closeAll();
        retained.clear();
    }
}
