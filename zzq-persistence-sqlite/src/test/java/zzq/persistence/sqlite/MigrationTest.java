package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredWill;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/**
 * A version 1 file (deliveries carrying their messages inline), made with version 1's own DDL and filled by hand,
 * opened by the current code: migrated to version 2 in SQL, every row intact, shared messages stored once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("v1 → v2: sessions, wills, subscriptions, awaiting ids, retained and deliveries all read back")
    void versionOneIsMigrated() throws Exception {
        Path file = dir.resolve("v1.db");
        long now = System.currentTimeMillis();
        StoredMessage shared = Stores.message("shared/topic", QoS.EXACTLY_ONCE, false, Stores.richProperties(),
                "one message, two sessions", now + Stores.DAY);
        StoredMessage own = Stores.message("own", QoS.AT_LEAST_ONCE, true, Properties.EMPTY, "", 0);
        StoredMessage retained = Stores.message("r", QoS.AT_LEAST_ONCE, true, Stores.richProperties(), "kept", 0);
        StoredWill will = new StoredWill(Stores.message("w", QoS.AT_MOST_ONCE, false, Stores.richProperties(), "bye",
                0), now + 5000);
        try (Connection db = Stores.raw(file)) {
            Schema.apply(db, Schema.V1);
            try (PreparedStatement s = db.prepareStatement("INSERT INTO retained VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, "r");
                s.setInt(2, 1);
                s.setBytes(3, PropertyBlob.encode(retained.properties()));
                s.setBytes(4, "kept".getBytes());
                s.setLong(5, 0);
                s.executeUpdate();
            }
            try (PreparedStatement s = db.prepareStatement(
                    "INSERT INTO sessions VALUES (?, 5, 3600, ?, 'w', 0, 0, ?, ?, 0, ?)")) {
                s.setString(1, "a");
                s.setLong(2, now - 1000);
                s.setBytes(3, PropertyBlob.encode(will.message().properties()));
                s.setBytes(4, "bye".getBytes());
                s.setLong(5, now + 5000);
                s.executeUpdate();
            }
            Sql.execute(db, "INSERT INTO sessions (client_id, protocol_level, expiry, disconnected_at)"
                    + " VALUES ('b', 4, 4294967295, 0)");
            Sql.execute(db, "INSERT INTO subscriptions VALUES ('a', 'a/+/c', " + (1 | 0x04) + ", 7)");
            Sql.execute(db, "INSERT INTO subscriptions VALUES ('a', '$share/g/x/#', " + (2 | 0x08 | 0x10) + ", 0)");
            Sql.execute(db, "INSERT INTO subscriptions VALUES ('a', '#', " + 0x20 + ", 268435455)");
            Sql.execute(db, "INSERT INTO awaiting_release VALUES ('a', 3), ('a', 9)");
            try (PreparedStatement s = db.prepareStatement(
                    "INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                delivery(s, "a", 1, 4, true, 100, shared);
                delivery(s, "b", 1, 0, false, 100, shared);
                delivery(s, "b", 2, 0, false, 101, own);
            }
        }

        try (SqlitePersistence store = Stores.open(file, "")) {
            assertEquals(2, Stores.number(store, "PRAGMA user_version"));
            assertEquals(2, Stores.number(store, "SELECT count(*) FROM messages"), "the shared message once");
            assertEquals(0, Stores.number(store, "SELECT count(*) FROM pragma_table_info('deliveries')"
                    + " WHERE name = 'payload'"), "deliveries no longer carry payloads");
            assertEquals(List.of(retained), store.loadRetained());
            assertEquals(List.of(
                    new StoredSession("a", 5, 3600, now - 1000, Stores.subscriptions(), Set.of(3, 9), will, null,
                            null),
                    new StoredSession("b", 4, 0xFFFF_FFFFL, 0, List.of(), Set.of(), null, null, null)),
                    store.loadSessions());
            assertEquals(List.of(new StoredDelivery(1, 4, true, 100, shared)), store.loadDeliveries("a"));
            assertEquals(List.of(new StoredDelivery(1, 0, false, 100, shared), new StoredDelivery(2, 0, false, 101,
                    own)), store.loadDeliveries("b"));

            // and it goes on as a version 2 store: the shared message stays while a delivery holds it
            store.removeDelivery("a", 1);
            Stores.awaitDurable(store);
            assertEquals(2, Stores.number(store, "SELECT count(*) FROM messages"));
            store.removeSession("b");
            Stores.awaitDurable(store);
            assertEquals(0, Stores.number(store, "SELECT count(*) FROM messages"));
        }
        try (SqlitePersistence store = Stores.open(file, "")) {
            assertEquals(2, Stores.number(store, "PRAGMA user_version"), "opened again: nothing more to migrate");
            assertFalse(store.loadSessions().isEmpty());
        }
    }

    private static void delivery(PreparedStatement s, String clientId, long sequence, int packetId, boolean released,
                                 long messageId, StoredMessage m) throws Exception {
        s.setString(1, clientId);
        s.setLong(2, sequence);
        s.setInt(3, packetId);
        s.setInt(4, released ? 1 : 0);
        s.setLong(5, messageId);
        s.setInt(6, m.qos().value());
        s.setInt(7, m.retain() ? 1 : 0);
        s.setString(8, m.topic());
        s.setBytes(9, PropertyBlob.encode(m.properties()));
        byte[] payload = new byte[m.payload().remaining()];
        m.payload().get(payload);
        s.setBytes(10, payload);
        s.setLong(11, m.expiresAtMillis());
        s.executeUpdate();
    }
}
