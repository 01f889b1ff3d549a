package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes what can no longer be delivered, at open and then periodically on the writer thread, inside the
 * caller's transaction: expired retained messages; queued deliveries whose message expired before it was sent
 * (a sent one is in flight and its flow must finish, MQTT-3.3.2-5); messages no delivery refers to; and sessions
 * whose expiry passed while disconnected, with everything they hold, unless a will is pending (the broker
 * publishes it when it loads or ends the session).
 */
final class Purge {
    /** What one purge removed. */
    record Purged(int retained, int deliveries, int sessions) {
        /** Whether it removed anything. */
        boolean any() {
            return retained + deliveries + sessions > 0;
        }

        @Override
        public String toString() {
            return retained + " expired retained messages, " + deliveries + " expired queued messages, " + sessions
                    + " expired sessions";
        }
    }

    private static final String NEVER_EXPIRES = "4294967295";

    private Purge() {
    }

    /**
     * Deletes what expired by {@code nowMillis}; sessions only if expired by {@code sessionGraceMillis} more (the
     * broker ends sessions itself while it runs; the store only sweeps what it missed).
     */
    static Purged run(Connection db, Statements statements, long nowMillis, long sessionGraceMillis)
            throws SQLException {
        int retained;
        try (PreparedStatement s = db.prepareStatement(
                "DELETE FROM retained WHERE expires_at > 0 AND expires_at <= ?")) {
            s.setLong(1, nowMillis);
            retained = s.executeUpdate();
        }
        int deliveries;
        try (PreparedStatement s = db.prepareStatement("DELETE FROM deliveries WHERE packet_id = 0 AND message_id IN"
                + " (SELECT id FROM messages WHERE expires_at > 0 AND expires_at <= ?) RETURNING message_id")) {
            s.setLong(1, nowMillis);
            deliveries = statements.noteOrphans(s);
        }
        List<String> expired = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT client_id FROM sessions WHERE disconnected_at > 0"
                + " AND expiry <> " + NEVER_EXPIRES + " AND disconnected_at + expiry * 1000 < ?"
                + " AND will_topic IS NULL")) {
            s.setLong(1, nowMillis - sessionGraceMillis);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    expired.add(rs.getString(1));
                }
            }
        }
        for (String clientId : expired) {
            statements.removeSession(clientId);
        }
        statements.deleteOrphans();
        return new Purged(retained, deliveries, expired.size());
    }

    /**
     * Deletes every message no delivery refers to. Removals delete their orphans as they go, so this only finds
     * something in a file written otherwise (an older version, a hand edit); it reads every message, so it runs
     * at open only.
     */
    static int orphans(Connection db) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("DELETE FROM messages"
                + " WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE message_id = messages.id)")) {
            return s.executeUpdate();
        }
    }
}
