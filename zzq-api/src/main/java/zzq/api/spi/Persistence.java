package zzq.api.spi;

import java.util.List;

/**
 * Where a broker keeps what must outlive it: retained messages and persistent sessions (their subscriptions, pending
 * will, queued and in-flight messages, and the QoS 2 packet identifiers received and not yet released). The broker
 * loads everything at start, then tells the backend of every change as it happens.
 *
 * <p>The broker's own memory is always the working copy; a backend records. So the in-memory default,
 * {@link #NONE}, records nothing: a broker without a durable backend forgets on restart, exactly as Mosquitto
 * without {@code persistence true}. Backends are plugins: a module that provides {@link PersistenceProvider} adds a
 * URL scheme ({@code sqlite:PATH}).
 *
 * <p>Threading and durability. The recording methods may be called from every event loop at once and should return
 * quickly: a durable backend queues the change (copying what it keeps, such as a payload) and writes in batches.
 * Changes are applied in the order of the calls as seen by a happens-before order: a change made after another on
 * the same thread, or on a thread told of the first, is applied after it. Only {@link #whenDurable} says when
 * changes are safe: the broker acknowledges a message (PUBACK, PUBREC) to its publisher only from such an action.
 */
public interface Persistence extends AutoCloseable {
    /** Keeps nothing: state lives only in the broker's memory. */
    Persistence NONE = new Persistence() {
        @Override
        public boolean durable() {
            return false;
        }

        @Override
        public List<StoredMessage> loadRetained() {
            return List.of();
        }

        @Override
        public void retain(StoredMessage message) {
        }

        @Override
        public void removeRetained(String topic) {
        }

        @Override
        public List<StoredSession> loadSessions() {
            return List.of();
        }

        @Override
        public List<StoredDelivery> loadDeliveries(String clientId) {
            return List.of();
        }

        @Override
        public void saveSession(StoredSession session) {
        }

        @Override
        public void removeSession(String clientId) {
        }

        @Override
        public void addAwaitingRelease(String clientId, int packetId) {
        }

        @Override
        public void removeAwaitingRelease(String clientId, int packetId) {
        }

        @Override
        public void saveDelivery(String clientId, StoredDelivery delivery) {
        }

        @Override
        public void updateDelivery(String clientId, long sequence, int packetId, boolean released) {
        }

        @Override
        public void removeDelivery(String clientId, long sequence) {
        }

        @Override
        public void whenDurable(Runnable action) {
            action.run();
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "memory:";
        }
    };

    /** Whether anything survives a restart; the broker skips building records for a backend that is not. */
    boolean durable();

    /** Every retained message, at start; expired ones may be left out (the broker drops them anyway). */
    List<StoredMessage> loadRetained();

    /** Sets (or replaces) the retained message of its topic. */
    void retain(StoredMessage message);

    /** Removes the retained message of the topic, if any. */
    void removeRetained(String topic);

    /**
     * Every stored session, at start, with its subscriptions, pending will and the QoS 2 packet identifiers awaiting
     * release; the broker ends those whose expiry passed while it was down.
     */
    List<StoredSession> loadSessions();

    /** A stored session's outbound messages, in sequence order, at start. */
    List<StoredDelivery> loadDeliveries(String clientId);

    /**
     * Creates or replaces a session's record: protocol level, expiry, disconnection time, subscriptions and pending
     * will. Its deliveries and awaiting-release identifiers are kept: they change through their own methods
     * ({@link StoredSession#awaitingRelease()} is ignored here).
     */
    void saveSession(StoredSession session);

    /** Removes a session and everything it holds (the session ended, expired, or is no longer persistent). */
    void removeSession(String clientId);

    /** Records a QoS 2 packet identifier received from the client and not yet released (PUBREL). */
    void addAwaitingRelease(String clientId, int packetId);

    /** Forgets a QoS 2 packet identifier: the client released it (PUBREL). */
    void removeAwaitingRelease(String clientId, int packetId);

    /**
     * Adds or replaces (by {@link StoredDelivery#sequence()}) an outbound message of a session: queued, then sent
     * with a packet identifier, then, for QoS 2, released after PUBREC. Deliveries with the same
     * {@link StoredDelivery#messageId()} carry the same message, so a backend may store the message once.
     */
    void saveDelivery(String clientId, StoredDelivery delivery);

    /**
     * Changes the state of a stored delivery without repeating its message: sent with this packet identifier, and,
     * for QoS 2, released (PUBREC received). Ignored when the delivery is not stored.
     */
    void updateDelivery(String clientId, long sequence, int packetId, boolean released);

    /** Removes an outbound message of a session (acknowledged, expired, or dropped). */
    void removeDelivery(String clientId, long sequence);

    /**
     * Records the changes that {@code changes} makes on this thread as one: a durable backend stores all of them or
     * none (one transaction). The broker routes a QoS 2 message and records its packet identifier this way: a crash
     * must not keep the record of its deliveries without the identifier (the publisher's re-send would be delivered
     * a second time) nor the identifier without the deliveries (the re-send would be taken for a duplicate and
     * lost). Changes made meanwhile by other threads may join the same transaction. The default runs
     * {@code changes} as they come, which is right for a backend that is not durable.
     */
    default void atomically(Runnable changes) {
        changes.run();
    }

    /**
     * Runs {@code action} once every change recorded before this call is durable, as the backend's durability
     * setting defines it; actions run in the order of their calls, on a thread of the backend's (at once, on the
     * caller's thread, for a backend that is not durable). The action must be quick: it hands work to an event loop.
     * If the backend fails to store the changes, it does not run the action (nothing must be acknowledged), logs
     * the failure, and the broker's acknowledgements stop until it recovers.
     */
    void whenDurable(Runnable action);

    /** Writes what is pending, then releases the store. Later calls are ignored. */
    @Override
    void close();
}
