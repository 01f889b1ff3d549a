package zzq.api.spi;

import java.util.List;

/**
 * Where a broker keeps what must outlive it: retained messages and sessions (their subscriptions, queued and
 * in-flight messages). The broker loads everything at start, then tells the backend of every change as it happens.
 *
 * <p>The broker's own memory is always the working copy; a backend records. So the in-memory default,
 * {@link #NONE}, records nothing: a broker without a durable backend forgets on restart, exactly as
 * Mosquitto without {@code persistence true}. A durable backend must have an entry stored (or its write ordered
 * before any later acknowledgement) by the time a call returns, and must tolerate being called from several event
 * loops at once: calls for one client identifier come from one thread at a time.
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
        public void saveDelivery(String clientId, StoredDelivery delivery) {
        }

        @Override
        public void removeDelivery(String clientId, long sequence) {
        }

        @Override
        public void close() {
        }
    };

    /** Whether anything survives a restart; the broker skips building records for a backend that is not. */
    boolean durable();

    /** Every retained message, at start. */
    List<StoredMessage> loadRetained();

    /** Sets (or replaces) the retained message of its topic. */
    void retain(StoredMessage message);

    /** Removes the retained message of the topic, if any. */
    void removeRetained(String topic);

    /** Every stored session, at start. */
    List<StoredSession> loadSessions();

    /** A stored session's outbound messages, in sequence order. */
    List<StoredDelivery> loadDeliveries(String clientId);

    /** Creates or replaces a session's record (after a subscribe, an unsubscribe, a connect or a disconnect). */
    void saveSession(StoredSession session);

    /** Removes a session and all its deliveries (the session ended or expired). */
    void removeSession(String clientId);

    /** Adds or replaces an outbound message of a session (queued, then sent with a packet id, then released). */
    void saveDelivery(String clientId, StoredDelivery delivery);

    /** Removes an outbound message of a session (acknowledged, expired, or dropped). */
    void removeDelivery(String clientId, long sequence);

    @Override
    void close();
}
