package zzq.engine.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import zzq.api.spi.ClientIdentity;
import zzq.api.spi.Persistence;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredSubscription;
import zzq.api.spi.StoredWill;
import zzq.codec.QoS;
import zzq.codec.packet.Will;
import zzq.engine.broker.topic.Subscription;

/**
 * Records persistent sessions through the {@link Persistence} SPI: what the broker changes in a session (its record,
 * its deliveries, its unreleased QoS 2 ids) becomes one call. A session is persistent when the backend is durable
 * and its Session Expiry Interval is above 0 (a 3.1.1 session that is not clean never expires); the others are never
 * recorded.
 *
 * <p>Identifiers: deliveries and messages share one broker-wide counter, seeded above anything stored and above the
 * clock (in microseconds), so an identifier is never used twice, not even across restarts and purges: a backend that
 * stores a message once per identifier can never confuse an old one with a new one.
 */
final class SessionStore {
    private final Persistence persistence;
    private final boolean durable;
    private final AtomicLong ids;

    SessionStore(Persistence persistence) {
        this.persistence = persistence;
        this.durable = persistence.durable();
        this.ids = new AtomicLong(System.currentTimeMillis() * 1000);
    }

    /** Whether anything is recorded at all. */
    boolean durable() {
        return durable;
    }

    Persistence persistence() {
        return persistence;
    }

    /** A new delivery sequence or message identifier. */
    long nextId() {
        return ids.incrementAndGet();
    }

    /** Keeps new identifiers above one found in the store. */
    void seen(long id) {
        ids.accumulateAndGet(id, Math::max);
    }

    /** Creates or replaces a session's record (not its deliveries). */
    void save(Session s, BrokerRouting broker, long disconnectedAtMillis, StoredWill will) {
        List<StoredSubscription> subscriptions = new ArrayList<>();
        for (Subscription<Session> sub : broker.topics().subscriptionsOf(s)) {
            subscriptions.add(new StoredSubscription(sub.filter(), sub.options(), sub.subscriptionIdentifier()));
        }
        ClientIdentity who = s.identity();
        persistence.saveSession(new StoredSession(s.clientId, s.protocolLevel(), s.expirySeconds(),
                disconnectedAtMillis, subscriptions, Set.of(), will, who == null ? null : who.username(),
                who == null ? null : who.transportIdentity()));
    }

    void remove(String clientId) {
        persistence.removeSession(clientId);
    }

    void addAwaitingRelease(String clientId, int packetId) {
        persistence.addAwaitingRelease(clientId, packetId);
    }

    void removeAwaitingRelease(String clientId, int packetId) {
        persistence.removeAwaitingRelease(clientId, packetId);
    }

    /** Records a new delivery (its sequence and message id already set). */
    void saveDelivery(String clientId, Outgoing o) {
        persistence.saveDelivery(clientId, new StoredDelivery(o.sequence, o.packetId,
                o.phase == Outgoing.Phase.AWAITING_PUBCOMP, o.messageId, stored(o.message, o.qos, o.retain)));
    }

    /** Records that a delivery was sent with its packet id, or released. */
    void updateDelivery(String clientId, Outgoing o) {
        persistence.updateDelivery(clientId, o.sequence, o.packetId, o.phase == Outgoing.Phase.AWAITING_PUBCOMP);
    }

    void removeDelivery(String clientId, long sequence) {
        persistence.removeDelivery(clientId, sequence);
    }

    /** Records what {@code changes} records as one transaction of the store. */
    void atomically(Runnable changes) {
        persistence.atomically(changes);
    }

    /** Runs {@code action} once everything recorded so far is durable. */
    void whenDurable(Runnable action) {
        persistence.whenDurable(action);
    }

    /** A message as the SPI takes it: the payload is a view (the backend copies), expiry in wall-clock time. */
    static StoredMessage stored(Message m, QoS qos, boolean retain) {
        return new StoredMessage(m.topic(), qos, retain, m.properties(), m.payload().nioBuffer(),
                m.expires() ? wallClock(m.expiresAtNanos()) : 0);
    }

    /** A will waiting for its delay, due at {@code publishAtMillis}. */
    static StoredWill stored(Will will, long publishAtMillis) {
        return new StoredWill(new StoredMessage(will.topic(), will.qos(), will.retain(), will.properties(),
                java.nio.ByteBuffer.wrap(will.payload().toByteArray()), 0), publishAtMillis);
    }

    /** The epoch milliseconds of a {@link System#nanoTime()} instant. */
    static long wallClock(long nanoTime) {
        return System.currentTimeMillis() + (nanoTime - System.nanoTime()) / 1_000_000L;
    }

    /** The {@link System#nanoTime()} instant of epoch milliseconds (never 0, which means "never"). */
    static long nanoTime(long epochMillis) {
        long at = System.nanoTime() + (epochMillis - System.currentTimeMillis()) * 1_000_000L;
        return at == 0 ? 1 : at;
    }
}
