package zzq.engine.broker;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.spi.ClientIdentity;
import zzq.api.spi.Persistence;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredSubscription;
import zzq.codec.QoS;
import zzq.codec.Topics;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;

/**
 * Brings the persistent sessions back at start, before any listener is bound: their subscriptions into the topic
 * tree, their queued and in-flight messages, their unreleased QoS 2 ids and their pending wills. Expiry counts in
 * wall-clock time across the downtime: a session whose expiry passed while the broker was down ends now (its will, if
 * any, goes out), and a will whose delay passed is published now. A session that was connected when the broker
 * stopped counts as disconnected from this start.
 */
final class SessionRestore {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRestore.class);

    private SessionRestore() {
    }

    static void restore(BrokerRouting broker, EventLoopGroup loops) {
        SessionStore store = broker.store();
        if (!store.durable()) {
            return;
        }
        Persistence persistence = store.persistence();
        long now = System.currentTimeMillis();
        List<Session> overdueWills = new ArrayList<>();
        List<Runnable> endedWills = new ArrayList<>();
        int restored = 0;
        int ended = 0;
        long messages = 0;
        for (StoredSession stored : persistence.loadSessions()) {
            ClientIdentity identity = new ClientIdentity(stored.clientId(), stored.username(),
                    stored.transportIdentity());
            long disconnectedAt = stored.disconnectedAtMillis() == 0 ? now : stored.disconnectedAtMillis();
            List<StoredDelivery> deliveries = persistence.loadDeliveries(stored.clientId());
            for (StoredDelivery d : deliveries) {
                store.seen(d.sequence());
                store.seen(d.messageId());
            }
            Will will = stored.will() == null ? null : will(stored.will().message());
            long expiry = stored.expiryIntervalSeconds();
            if (expiry != Session.NEVER_EXPIRES && disconnectedAt + expiry * 1000 <= now) {
                // expired while the broker was down: the session ends, and its will goes (after every session is back)
                if (will != null) {
                    endedWills.add(() -> broker.publishWill(stored.clientId(), identity, will));
                }
                store.remove(stored.clientId());
                ended++;
                continue;
            }
            Session s = new Session(stored.clientId(), broker, loops.next(), identity);
            for (StoredSubscription sub : stored.subscriptions()) {
                broker.topics().subscribe(s, sub.filter(), sub.options(), sub.subscriptionIdentifier());
            }
            List<Outgoing> outgoing = new ArrayList<>(deliveries.size());
            long nowNanos = System.nanoTime();
            for (StoredDelivery d : deliveries) {
                Outgoing o = outgoing(d, stored.subscriptions());
                if (o.packetId == 0 && o.message.isExpired(nowNanos)) {
                    o.release();
                    store.removeDelivery(stored.clientId(), d.sequence());
                    continue;
                }
                outgoing.add(o);
            }
            messages += outgoing.size();
            long willDue = stored.will() == null ? 0 : stored.will().publishAtMillis();
            s.restore(stored, disconnectedAt, outgoing, will, willDue);
            if (stored.disconnectedAtMillis() == 0) {
                store.save(s, broker, disconnectedAt, stored.will()); // its expiry counts from this start
            }
            broker.sessions().restore(s);
            restored++;
            if (will != null && willDue <= now) {
                overdueWills.add(s);
            }
        }
        endedWills.forEach(Runnable::run);
        overdueWills.forEach(Session::publishOverdueWill);
        if (restored + ended > 0) {
            LOG.info("restored {} persistent sessions holding {} messages; {} expired while the broker was down",
                    restored, messages, ended);
        }
    }

    /** A stored delivery as the session holds it: in flight (with its phase) when it has a packet id. */
    private static Outgoing outgoing(StoredDelivery d, List<StoredSubscription> subscriptions) {
        StoredMessage m = d.message();
        Message message = new Message(m.topic(), m.qos(), m.retain(), m.properties(),
                Unpooled.wrappedBuffer(m.payload()),
                m.expiresAtMillis() == 0 ? 0 : SessionStore.nanoTime(m.expiresAtMillis()), null);
        Outgoing o = new Outgoing(message, m.qos(), m.retain(), subscriptionIds(m.topic(), subscriptions));
        o.sequence = d.sequence();
        o.messageId = d.messageId();
        o.packetId = d.packetId();
        if (d.packetId() != 0) {
            o.phase = d.released() ? Outgoing.Phase.AWAITING_PUBCOMP
                    : m.qos() == QoS.AT_LEAST_ONCE ? Outgoing.Phase.AWAITING_PUBACK : Outgoing.Phase.AWAITING_PUBREC;
        }
        return o;
    }

    /**
     * The Subscription Identifiers a delivery carries, found again from the session's subscriptions that match its
     * topic (the store keeps a message once for every session, so it does not keep per-session identifiers).
     */
    private static int[] subscriptionIds(String topic, List<StoredSubscription> subscriptions) {
        int[] ids = null;
        for (StoredSubscription sub : subscriptions) {
            if (sub.subscriptionIdentifier() != 0 && !Topics.isShared(sub.filter())
                    && Topics.matches(sub.filter(), topic)) {
                ids = RouteCollector.append(ids, sub.subscriptionIdentifier());
            }
        }
        return ids;
    }

    private static Will will(StoredMessage m) {
        byte[] payload = new byte[m.payload().remaining()];
        m.payload().get(payload);
        return new Will(m.topic(), BinaryData.of(payload), m.qos(), m.retain(), m.properties());
    }
}
