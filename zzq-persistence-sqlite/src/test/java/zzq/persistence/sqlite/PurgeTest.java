package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
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

/** What expired is deleted at open and periodically; what may still be needed is kept. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PurgeTest {
    @TempDir
    Path dir;

    private static StoredMessage message(String topic, long expiresAt) {
        return Stores.message(topic, QoS.EXACTLY_ONCE, false, Properties.EMPTY, topic, expiresAt);
    }

    private static StoredSession session(String clientId, long expiry, long disconnectedAt, StoredWill will) {
        return new StoredSession(clientId, 5, expiry, disconnectedAt, Stores.subscriptions(), Set.of(), will, null,
                null);
    }

    @Test
    @DisplayName("at open: expired retained, expired unsent deliveries, their messages and expired sessions go")
    void atOpen() throws Exception {
        Path file = dir.resolve("zzq.db");
        long now = System.currentTimeMillis();
        long past = now - 60_000;
        StoredMessage live = message("live", now + Stores.DAY);
        StoredMessage expired = message("expired", past);
        StoredMessage expiredSent = message("expired-sent", past);
        StoredWill will = new StoredWill(message("will", 0), past);
        try (SqlitePersistence store = Stores.open(file, "")) {
            store.retain(Stores.message("r/live", QoS.AT_MOST_ONCE, true, Properties.EMPTY, "", 0));
            store.retain(Stores.message("r/expired", QoS.AT_MOST_ONCE, true, Properties.EMPTY, "", past));
            store.saveSession(session("keeps", 0xFFFF_FFFFL, past, null));
            store.saveDelivery("keeps", new StoredDelivery(1, 0, false, 1, live));
            store.saveDelivery("keeps", new StoredDelivery(2, 0, false, 2, expired)); // queued: expired, goes
            store.saveDelivery("keeps", new StoredDelivery(3, 9, false, 3, expiredSent)); // in flight: stays
            store.saveDelivery("keeps", new StoredDelivery(4, 10, true, 4, expiredSent)); // released: stays
            store.saveSession(session("connected", 10, 0, null));
            store.saveSession(session("not-yet", 3600, now - 1000, null));
            store.saveSession(session("gone", 10, now - 11_000, null));
            store.addAwaitingRelease("gone", 5);
            store.saveDelivery("gone", new StoredDelivery(1, 0, false, 5, live));
            store.saveDelivery("gone", new StoredDelivery(2, 0, false, 6, message("only-gone", 0)));
            store.saveSession(session("gone-with-will", 10, now - 11_000, will)); // the broker publishes it
        }
        try (SqlitePersistence store = Stores.open(file, "")) {
            assertEquals(List.of("r/live"), store.loadRetained().stream().map(StoredMessage::topic).toList());
            assertEquals(List.of("connected", "gone-with-will", "keeps", "not-yet"),
                    store.loadSessions().stream().map(StoredSession::clientId).toList());
            assertEquals(List.of(1L, 3L, 4L),
                    store.loadDeliveries("keeps").stream().map(StoredDelivery::sequence).toList());
            assertEquals(List.of(), store.loadDeliveries("gone"));
            assertEquals(0, Stores.number(store, "SELECT count(*) FROM awaiting_release"));
            assertEquals(0, Stores.number(store, "SELECT count(*) FROM subscriptions WHERE client_id = 'gone'"));
            assertEquals(3, Stores.number(store, "SELECT count(*) FROM messages"), "live, expired-sent, "
                    + "and neither 'expired' nor 'only-gone'");
        }
    }

    @Test
    @DisplayName("while open: the periodic purge deletes what expires after the open")
    void periodic() throws Exception {
        long now = System.currentTimeMillis();
        try (SqlitePersistence store = SqlitePersistence.open(SqliteUrl.parse("sqlite:" + dir.resolve("zzq.db")),
                50)) {
            store.retain(Stores.message("soon", QoS.AT_MOST_ONCE, true, Properties.EMPTY, "", now + 300));
            store.retain(Stores.message("later", QoS.AT_MOST_ONCE, true, Properties.EMPTY, "", now + Stores.DAY));
            store.saveSession(session("s", 0xFFFF_FFFFL, now, null));
            store.saveDelivery("s", new StoredDelivery(1, 0, false, 1, message("soon", now + 300)));
            // expired 10 s ago: past the grace the broker has to end it itself (one purge period, 50 ms here)
            store.saveSession(session("expired", 1, now - 11_000, null));
            Stores.awaitDurable(store);
            Stores.waitFor("the expired retained message, delivery and session purged", () ->
                    Stores.number(store, "SELECT count(*) FROM retained") == 1
                            && Stores.number(store, "SELECT count(*) FROM deliveries") == 0
                            && Stores.number(store, "SELECT count(*) FROM messages") == 0
                            && Stores.number(store, "SELECT count(*) FROM sessions") == 1);
            assertEquals(List.of("s"), store.loadSessions().stream().map(StoredSession::clientId).toList());
            assertEquals(List.of("later"), store.loadRetained().stream().map(StoredMessage::topic).toList());
        }
    }
}
