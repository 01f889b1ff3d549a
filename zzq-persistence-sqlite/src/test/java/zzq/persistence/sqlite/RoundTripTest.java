package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static zzq.persistence.sqlite.Stores.DAY;
import static zzq.persistence.sqlite.Stores.message;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredWill;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/** The SPI's contract: every recording method, read back after close and reopen, in both sync levels. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "sync={0}")
    @EnumSource(Sync.class)
    @DisplayName("retained messages, sessions, wills, awaiting-release ids and deliveries survive close and reopen")
    void everythingSurvivesReopen(Sync sync) throws Exception {
        Path file = dir.resolve("zzq.db");
        long now = System.currentTimeMillis();
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        StoredMessage retainedA = message("a/topic", QoS.AT_LEAST_ONCE, true, Stores.richProperties(), "first",
                now + DAY);
        StoredMessage retainedA2 = message("a/topic", QoS.EXACTLY_ONCE, true, Stores.richProperties(), "second", 0);
        StoredMessage retainedB = new StoredMessage("b", QoS.AT_MOST_ONCE, true, Properties.EMPTY,
                java.nio.ByteBuffer.wrap(new byte[0]), 0);
        StoredMessage m1 = message("q/1", QoS.EXACTLY_ONCE, binary, now + DAY);
        StoredMessage m2 = message("q/2", QoS.AT_LEAST_ONCE, true, Stores.richProperties(), "two", 0);
        StoredMessage m3 = message("q/3", QoS.AT_LEAST_ONCE, false, Properties.EMPTY, "three", 0);
        StoredWill will = new StoredWill(message("will/s1", QoS.AT_LEAST_ONCE, true, Stores.richProperties(),
                "gone", 0), now + 30_000);
        StoredSession s1First = new StoredSession("s1", 5, 3600, now - 1000, List.of(), Set.of(), null, null, null);
        StoredSession s1 = new StoredSession("s1", 5, 3600, now - 1000, Stores.subscriptions(), Set.of(), will,
                "alice", "CN=alice,O=zzq");
        StoredSession s2 = new StoredSession("s2 ünïcode", 4, 0xFFFF_FFFFL, 0,
                List.of(Stores.subscriptions().get(0)), Set.of(), null, "bob", null);
        StoredSession s3 = new StoredSession("s3", 5, 60, 0, Stores.subscriptions(), Set.of(), will, null, null);

        try (SqlitePersistence store = Stores.open(file, Stores.query(sync))) {
            store.retain(retainedA);
            store.retain(retainedB);
            store.retain(message("c", QoS.AT_MOST_ONCE, true, Properties.EMPTY, "c", 0));
            store.removeRetained("c");
            store.retain(retainedA2); // replaces the first of its topic

            store.saveSession(s1First);
            store.saveSession(s1); // replaces: subscriptions and will added
            store.saveSession(s2);
            store.addAwaitingRelease("s1", 1);
            store.addAwaitingRelease("s1", 2);
            store.addAwaitingRelease("s1", 65_535);
            store.addAwaitingRelease("s1", 1); // again: still once
            store.removeAwaitingRelease("s1", 2);

            store.saveDelivery("s1", new StoredDelivery(1, 0, false, 10, m1));
            store.saveDelivery("s1", new StoredDelivery(2, 0, false, 11, m2));
            store.saveDelivery("s1", new StoredDelivery(3, 0, false, 10, m1));
            store.saveDelivery("s2 ünïcode", new StoredDelivery(1, 0, false, 10, m1));
            store.updateDelivery("s1", 2, 6, false); // sent
            store.saveDelivery("s1", new StoredDelivery(2, 7, false, 11, m2)); // replaced whole: sent again
            store.updateDelivery("s1", 2, 7, true); // PUBREC'd
            store.updateDelivery("s1", 98, 1, true); // nothing there: ignored
            store.removeDelivery("s1", 1); // PUBCOMP'd
            store.removeDelivery("s1", 99); // nothing there

            store.saveSession(s3); // a session that ends with all it holds
            store.addAwaitingRelease("s3", 5);
            store.saveDelivery("s3", new StoredDelivery(1, 3, false, 12, m3));
            store.removeSession("s3");
            Stores.awaitDurable(store);
        }

        try (SqlitePersistence store = Stores.open(file, Stores.query(sync))) {
            assertEquals(List.of(retainedA2, retainedB), store.loadRetained());
            assertEquals(List.of(s1.withAwaitingRelease(Set.of(1, 65_535)), s2), store.loadSessions());
            assertEquals(List.of(new StoredDelivery(2, 7, true, 11, m2), new StoredDelivery(3, 0, false, 10, m1)),
                    store.loadDeliveries("s1"));
            assertEquals(List.of(new StoredDelivery(1, 0, false, 10, m1)), store.loadDeliveries("s2 ünïcode"));
            assertEquals(List.of(), store.loadDeliveries("s3"));
            // m1 once for its three deliveries; m3 went with s3, its only holder
            assertEquals(2, Stores.number(store, "SELECT count(*) FROM messages"));
            assertEquals(0, Stores.number(store, "SELECT count(*) FROM awaiting_release WHERE client_id = 's3'"));
            assertEquals(0, Stores.number(store, "SELECT count(*) FROM subscriptions WHERE client_id = 's3'"));
        }
    }
}
