package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredSubscription;

/**
 * The writer's prepared statements, one per kind of change, on the writer's connection (prepared once, bound per
 * change). A message goes with its last delivery: removals note the messages they may have orphaned, and
 * {@link #deleteOrphans()} removes those no delivery refers to any more, before the commit.
 */
final class Statements implements AutoCloseable {
    private final Connection db;
    private final List<PreparedStatement> all = new ArrayList<>();
    private final PreparedStatement retain;
    private final PreparedStatement removeRetained;
    private final PreparedStatement saveSession;
    private final PreparedStatement removeSubscriptions;
    private final PreparedStatement addSubscription;
    private final PreparedStatement removeSessionRow;
    private final PreparedStatement removeAllAwaiting;
    private final PreparedStatement removeAllDeliveries;
    private final PreparedStatement addAwaiting;
    private final PreparedStatement removeAwaiting;
    private final PreparedStatement addMessage;
    private final PreparedStatement saveDelivery;
    private final PreparedStatement updateDelivery;
    private final PreparedStatement removeDelivery;
    private final PreparedStatement removeOrphan;
    private final Set<Long> mayBeOrphans = new LinkedHashSet<>();

    /** Prepares every statement on {@code db}. */
    Statements(Connection db) throws SQLException {
        this.db = db;
        retain = prepare("INSERT OR REPLACE INTO retained (topic, qos, properties, payload, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)");
        removeRetained = prepare("DELETE FROM retained WHERE topic = ?");
        saveSession = prepare("INSERT OR REPLACE INTO sessions (client_id, protocol_level, expiry, disconnected_at,"
                + " will_topic, will_qos, will_retain, will_properties, will_payload, will_expires_at,"
                + " will_publish_at, username, transport_identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        removeSubscriptions = prepare("DELETE FROM subscriptions WHERE client_id = ?");
        // OR REPLACE: a list naming one filter twice keeps the last, rather than failing the whole batch forever.
        addSubscription = prepare("INSERT OR REPLACE INTO subscriptions (client_id, filter, options, sub_id)"
                + " VALUES (?, ?, ?, ?)");
        removeSessionRow = prepare("DELETE FROM sessions WHERE client_id = ?");
        removeAllAwaiting = prepare("DELETE FROM awaiting_release WHERE client_id = ?");
        removeAllDeliveries = prepare("DELETE FROM deliveries WHERE client_id = ? RETURNING message_id");
        addAwaiting = prepare("INSERT OR IGNORE INTO awaiting_release (client_id, packet_id) VALUES (?, ?)");
        removeAwaiting = prepare("DELETE FROM awaiting_release WHERE client_id = ? AND packet_id = ?");
        // OR IGNORE: the message is already there when another session's delivery of it (or this delivery's
        // earlier state) was saved; its content is the same by the SPI's contract.
        addMessage = prepare("INSERT OR IGNORE INTO messages (id, topic, properties, payload, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)");
        saveDelivery = prepare("INSERT OR REPLACE INTO deliveries (client_id, sequence, packet_id, released,"
                + " message_id, qos, retain) VALUES (?, ?, ?, ?, ?, ?, ?)");
        updateDelivery = prepare("UPDATE deliveries SET packet_id = ?, released = ?"
                + " WHERE client_id = ? AND sequence = ?");
        removeDelivery = prepare("DELETE FROM deliveries WHERE client_id = ? AND sequence = ? RETURNING message_id");
        removeOrphan = prepare("DELETE FROM messages WHERE id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM deliveries WHERE message_id = ?)");
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement s = db.prepareStatement(sql);
        all.add(s);
        return s;
    }

    /** Sets or replaces the retained message of its topic. */
    void retain(MessageRow m) throws SQLException {
        update(retain, m.topic(), m.qos(), m.properties(), m.payload(), m.expiresAtMillis());
    }

    /** Removes a topic's retained message. */
    void removeRetained(String topic) throws SQLException {
        update(removeRetained, topic);
    }

    /** Creates or replaces a session's row and subscriptions; {@code will} null for none. */
    void saveSession(StoredSession s, MessageRow will, long willPublishAtMillis) throws SQLException {
        boolean none = will == null;
        update(saveSession, s.clientId(), s.protocolLevel(), s.expiryIntervalSeconds(), s.disconnectedAtMillis(),
                none ? null : will.topic(), none ? null : will.qos(), none ? null : flag(will.retain()),
                none ? null : will.properties(), none ? null : will.payload(),
                none ? null : will.expiresAtMillis(), none ? null : willPublishAtMillis,
                s.username(), s.transportIdentity());
        update(removeSubscriptions, s.clientId());
        for (StoredSubscription sub : s.subscriptions()) {
            update(addSubscription, s.clientId(), sub.filter(), sub.options().toByte(), sub.subscriptionIdentifier());
        }
    }

    /** Removes a session with its subscriptions, awaiting-release identifiers and deliveries. */
    void removeSession(String clientId) throws SQLException {
        update(removeSessionRow, clientId);
        update(removeSubscriptions, clientId);
        update(removeAllAwaiting, clientId);
        noteOrphans(bind(removeAllDeliveries, clientId));
    }

    /** Records a QoS 2 packet identifier awaiting PUBREL. */
    void addAwaitingRelease(String clientId, int packetId) throws SQLException {
        update(addAwaiting, clientId, packetId);
    }

    /** Forgets a released packet identifier. */
    void removeAwaitingRelease(String clientId, int packetId) throws SQLException {
        update(removeAwaiting, clientId, packetId);
    }

    /** Adds or replaces a delivery by sequence, storing its message if no delivery brought it yet. */
    void saveDelivery(String clientId, long sequence, int packetId, boolean released, long messageId, MessageRow m)
            throws SQLException {
        update(addMessage, messageId, m.topic(), m.properties(), m.payload(), m.expiresAtMillis());
        update(saveDelivery, clientId, sequence, packetId, flag(released), messageId, m.qos(), flag(m.retain()));
    }

    /** Changes a delivery's packet identifier and released flag, if it is stored. */
    void updateDelivery(String clientId, long sequence, int packetId, boolean released) throws SQLException {
        update(updateDelivery, packetId, flag(released), clientId, sequence);
    }

    /** Removes a delivery. */
    void removeDelivery(String clientId, long sequence) throws SQLException {
        noteOrphans(bind(removeDelivery, clientId, sequence));
    }

    /** Binds the parameters in order: String, Integer, Long, byte[] (a BLOB) or null. */
    private static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
        return statement;
    }

    private static void update(PreparedStatement statement, Object... values) throws SQLException {
        bind(statement, values).executeUpdate();
    }

    /** SQLite's boolean. */
    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    /**
     * Runs a {@code DELETE FROM deliveries ... RETURNING message_id} and notes the messages it may have orphaned.
     *
     * @return how many deliveries it removed
     */
    int noteOrphans(PreparedStatement deleteReturningMessageId) throws SQLException {
        int removed = 0;
        try (ResultSet rs = deleteReturningMessageId.executeQuery()) {
            while (rs.next()) {
                mayBeOrphans.add(rs.getLong(1));
                removed++;
            }
        }
        return removed;
    }

    /** Removes the messages that removals in this transaction left without a delivery. */
    void deleteOrphans() throws SQLException {
        for (long id : mayBeOrphans) {
            update(removeOrphan, id, id);
        }
        mayBeOrphans.clear();
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement s : all) {
            try {
                s.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
