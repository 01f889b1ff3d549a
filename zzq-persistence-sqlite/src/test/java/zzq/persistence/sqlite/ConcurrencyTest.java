package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/** Several threads recording at once (as event loops do): each one's changes in its order, all there on reopen. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    private static final int THREADS = 6;
    private static final int DELIVERIES = 1200;

    @TempDir
    Path dir;

    /** The message of id {@code n}: the same content whichever session gets it, as the SPI promises. */
    private static StoredMessage shared(long n) {
        return Stores.message("shared/" + n, QoS.AT_LEAST_ONCE, false, Properties.EMPTY, "message " + n, 0);
    }

    @ParameterizedTest(name = "sync={0}")
    @EnumSource(Sync.class)
    @DisplayName("six threads: sessions, shared messages, updates, removals and actions; reopened, all are there")
    void manyWriters(Sync sync) throws Exception {
        Path file = dir.resolve("zzq.db");
        List<List<Integer>> actions = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (SqlitePersistence store = Stores.open(file, Stores.query(sync))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String clientId = "client-" + t;
                List<Integer> order = Collections.synchronizedList(new ArrayList<>());
                actions.add(order);
                done.add(pool.submit(() -> {
                    start.await();
                    store.saveSession(new StoredSession(clientId, 5, 3600, 0, Stores.subscriptions(), Set.of(),
                            null, clientId, null));
                    for (int i = 1; i <= DELIVERIES; i++) {
                        store.saveDelivery(clientId, new StoredDelivery(i, 0, false, i, shared(i)));
                        store.addAwaitingRelease(clientId, i);
                        if (i % 2 == 0) {
                            store.updateDelivery(clientId, i, i, true);
                            store.removeAwaitingRelease(clientId, i);
                        }
                        if (i % 3 == 0) {
                            store.removeDelivery(clientId, i);
                        }
                        int n = i;
                        store.whenDurable(() -> order.add(n));
                    }
                    store.retain(Stores.message("retained/" + clientId, QoS.AT_MOST_ONCE, true, Properties.EMPTY,
                            clientId, 0));
                    Stores.awaitDurable(store);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(Stores.WAIT_MILLIS * 3, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> expectedOrder = new ArrayList<>();
        for (int i = 1; i <= DELIVERIES; i++) {
            expectedOrder.add(i);
        }
        for (List<Integer> order : actions) {
            assertEquals(expectedOrder, order, "each thread's actions in its order");
        }

        try (SqlitePersistence store = Stores.open(file, "")) {
            assertEquals(THREADS, store.loadRetained().size());
            List<StoredSession> sessions = store.loadSessions();
            assertEquals(THREADS, sessions.size());
            for (StoredSession s : sessions) {
                assertEquals(s.clientId(), s.username());
                assertEquals(DELIVERIES / 2, s.awaitingRelease().size());
                List<StoredDelivery> deliveries = store.loadDeliveries(s.clientId());
                List<StoredDelivery> expected = new ArrayList<>();
                for (int i = 1; i <= DELIVERIES; i++) {
                    if (i % 3 != 0) {
                        expected.add(new StoredDelivery(i, i % 2 == 0 ? i : 0, i % 2 == 0, i, shared(i)));
                    }
                }
                assertEquals(expected, deliveries);
            }
            assertEquals(DELIVERIES - DELIVERIES / 3, Stores.number(store, "SELECT count(*) FROM messages"),
                    "each shared message once; those removed from every session gone");
        }
    }
}
