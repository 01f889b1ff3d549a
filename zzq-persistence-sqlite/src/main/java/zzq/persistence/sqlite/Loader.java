package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredSubscription;
import zzq.api.spi.StoredWill;
import zzq.codec.QoS;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.SubscriptionOptions;

/** Reads the store back into the SPI's values, at the broker's start. */
final class Loader {
    private Loader() {
    }

    /** The retained messages not expired by {@code nowMillis}. */
    static List<StoredMessage> retained(Connection db, long nowMillis) throws SQLException {
        List<StoredMessage> all = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT topic, qos, properties, payload, expires_at"
                + " FROM retained WHERE expires_at = 0 OR expires_at > ? ORDER BY topic")) {
            s.setLong(1, nowMillis);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.add(new MessageRow(rs.getString(1), rs.getInt(2), true, bytes(rs, 3), bytes(rs, 4),
                            rs.getLong(5)).toMessage());
                }
            }
        }
        return all;
    }

    /** Every session with its subscriptions (in the order saved), pending will and awaiting-release ids. */
    static List<StoredSession> sessions(Connection db) throws SQLException {
        Map<String, List<StoredSubscription>> subscriptions = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement(
                "SELECT client_id, filter, options, sub_id FROM subscriptions ORDER BY client_id, rowid");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                subscriptions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new StoredSubscription(rs.getString(2), options(rs.getInt(3)), rs.getInt(4)));
            }
        }
        Map<String, Set<Integer>> awaiting = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT client_id, packet_id FROM awaiting_release");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                awaiting.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getInt(2));
            }
        }
        List<StoredSession> all = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT client_id, protocol_level, expiry, disconnected_at,"
                + " will_topic, will_qos, will_retain, will_properties, will_payload, will_expires_at, will_publish_at,"
                + " username, transport_identity FROM sessions ORDER BY client_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String clientId = rs.getString(1);
                StoredWill will = null;
                String willTopic = rs.getString(5);
                if (willTopic != null) {
                    will = new StoredWill(new MessageRow(willTopic, rs.getInt(6), rs.getInt(7) != 0, bytes(rs, 8),
                            bytes(rs, 9), rs.getLong(10)).toMessage(), rs.getLong(11));
                }
                all.add(new StoredSession(clientId, rs.getInt(2), rs.getLong(3), rs.getLong(4),
                        subscriptions.getOrDefault(clientId, List.of()), awaiting.getOrDefault(clientId, Set.of()),
                        will, rs.getString(12), rs.getString(13)));
            }
        }
        return all;
    }

    /** A session's deliveries, in sequence order. */
    static List<StoredDelivery> deliveries(Connection db, String clientId) throws SQLException {
        List<StoredDelivery> all = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("SELECT d.sequence, d.packet_id, d.released, d.message_id,"
                + " d.qos, d.retain, m.topic, m.properties, m.payload, m.expires_at"
                + " FROM deliveries d JOIN messages m ON m.id = d.message_id"
                + " WHERE d.client_id = ? ORDER BY d.sequence")) {
            s.setString(1, clientId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    StoredMessage m = new MessageRow(rs.getString(7), rs.getInt(5), rs.getInt(6) != 0, bytes(rs, 8),
                            bytes(rs, 9), rs.getLong(10)).toMessage();
                    all.add(new StoredDelivery(rs.getLong(1), rs.getInt(2), rs.getInt(3) != 0, rs.getLong(4), m));
                }
            }
        }
        return all;
    }

    /** The options byte as the SUBSCRIBE packet carries it. */
    static SubscriptionOptions options(int b) {
        return new SubscriptionOptions(QoS.of(b & 3), (b & 0x04) != 0, (b & 0x08) != 0,
                RetainHandling.of(b >> 4 & 3));
    }

    /** A BLOB column; SQLite hands back an empty one as null. */
    private static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        return b == null ? new byte[0] : b;
    }
}
