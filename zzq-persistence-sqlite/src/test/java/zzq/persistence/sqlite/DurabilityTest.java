package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/**
 * whenDurable: actions run after the commit that holds what came before them, in order, on the writer; many
 * changes share one commit; a failing commit holds its actions back and is retried; close drains; the sync levels.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DurabilityTest {
    @TempDir
    Path dir;

    private static StoredDelivery delivery(long sequence, String payload) {
        return new StoredDelivery(sequence, 0, false, sequence,
                Stores.message("t/" + sequence, QoS.AT_LEAST_ONCE, false, Properties.EMPTY, payload, 0));
    }

    /** Holds the writer inside a query until the returned latch is counted down. */
    private static CountDownLatch holdWriter(SqlitePersistence store) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.submit(db -> {
            inside.countDown();
            try {
                return release.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(inside.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS), "the writer is held");
        return release;
    }

    @Test
    @DisplayName("a thousand changes queued while the writer is busy go in one commit; the action runs after it")
    void groupCommit() throws Exception {
        try (SqlitePersistence store = Stores.open(dir.resolve("zzq.db"), "")) {
            Stores.awaitDurable(store);
            long before = store.writer().commits();
            CountDownLatch release = holdWriter(store);
            for (int i = 1; i <= 1000; i++) {
                store.saveDelivery("c", delivery(i, "payload " + i));
            }
            AtomicLong commitsSeen = new AtomicLong(-1);
            CountDownLatch ran = new CountDownLatch(1);
            store.whenDurable(() -> {
                commitsSeen.set(store.writer().commits());
                ran.countDown();
            });
            assertEquals(before, store.writer().commits(), "nothing committed while the writer is held");
            release.countDown();
            assertTrue(ran.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS));
            assertEquals(before + 1, commitsSeen.get(), "the action ran after the one commit of all 1000");
            assertEquals(before + 1, store.writer().commits());
            assertEquals(1000, Stores.number(store, "SELECT count(*) FROM deliveries"));
        }
    }

    @Test
    @DisplayName("a delivery saved and removed in one batch leaves no row, nor its message unless another keeps it")
    void deliveriesThatComeAndGoInOneBatchAreSkipped() throws Exception {
        try (SqlitePersistence store = Stores.open(dir.resolve("zzq.db"), "")) {
            Stores.awaitDurable(store);
            CountDownLatch release = holdWriter(store);
            for (int i = 1; i <= 10; i++) {
                store.saveDelivery("c", delivery(i, "payload " + i));
                store.updateDelivery("c", i, i, false);
            }
            // delivery 11 shares message 3 with delivery 3, which goes
            store.saveDelivery("c", new StoredDelivery(11, 0, false, 3,
                    Stores.message("t/3", QoS.AT_LEAST_ONCE, false, Properties.EMPTY, "payload 3", 0)));
            for (int i = 1; i <= 5; i++) {
                store.removeDelivery("c", i);
            }
            release.countDown();
            Stores.awaitDurable(store);
            assertEquals(6, Stores.number(store, "SELECT COUNT(*) FROM deliveries"));
            assertEquals(6, Stores.number(store, "SELECT COUNT(*) FROM messages"));
            assertEquals(List.of(6L, 7L, 8L, 9L, 10L, 11L), store.loadDeliveries("c").stream()
                    .map(StoredDelivery::sequence).toList());
            assertEquals(6, store.loadDeliveries("c").get(0).packetId(), "kept deliveries got their update");
            assertEquals("payload 3", java.nio.charset.StandardCharsets.UTF_8.decode(
                    store.loadDeliveries("c").get(5).message().payload()).toString());
            // and across batches as ever: removed after its commit
            store.removeDelivery("c", 6);
            Stores.awaitDurable(store);
            assertEquals(5, Stores.number(store, "SELECT COUNT(*) FROM deliveries"));
            assertEquals(5, Stores.number(store, "SELECT COUNT(*) FROM messages"));
        }
    }

    @Test
    @DisplayName("atomically: nothing commits while a group is open, then the group's changes commit together")
    void aGroupCommitsWhole() throws Exception {
        try (SqlitePersistence store = Stores.open(dir.resolve("zzq.db"), "")) {
            Stores.awaitDurable(store);
            CountDownLatch inGroup = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CountDownLatch durable = new CountDownLatch(1);
            Thread router = new Thread(() -> store.atomically(() -> {
                store.saveDelivery("c", delivery(1, "one"));
                inGroup.countDown();
                try {
                    finish.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                store.addAwaitingRelease("c", 7);
            }));
            router.start();
            assertTrue(inGroup.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS));
            store.whenDurable(durable::countDown); // from another thread, after the group's first change
            assertFalse(durable.await(300, TimeUnit.MILLISECONDS), "no commit while the group is open");
            finish.countDown();
            assertTrue(durable.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS));
            router.join();
            assertEquals(1, Stores.number(store, "SELECT COUNT(*) FROM deliveries"));
            assertEquals(1, Stores.number(store, "SELECT COUNT(*) FROM awaiting_release"));
        }
    }

    @Test
    @DisplayName("actions run in the order of their calls, on the writer thread, each after its changes are stored")
    void actionsInOrder() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (SqlitePersistence store = Stores.open(dir.resolve("zzq.db"), "")) {
            for (int i = 0; i < 2000; i++) {
                int n = i;
                store.saveDelivery("c", delivery(i + 1, "p"));
                store.whenDurable(() -> {
                    order.add(n);
                    threads.add(Thread.currentThread().getName());
                });
            }
            Stores.awaitDurable(store);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        assertEquals(List.of("zzq-sqlite-writer"), threads.stream().distinct().toList());
    }

    @Test
    @DisplayName("a commit that fails (disk full) runs no action, is retried, and its action runs once it is stored")
    void failedCommitHoldsActionsAndRetries() throws Exception {
        Path file = dir.resolve("zzq.db");
        try (SqlitePersistence store = Stores.open(file, "")) {
            // "disk full": the file may not grow past its size now
            store.read(db -> Sql.text(db, "PRAGMA max_page_count = " + Sql.text(db, "PRAGMA page_count")));
            long commits = store.writer().commits();
            store.saveDelivery("c", new StoredDelivery(1, 0, false, 1,
                    Stores.message("big", QoS.AT_LEAST_ONCE, new byte[500_000], 0)));
            CountDownLatch ran = new CountDownLatch(1);
            store.whenDurable(ran::countDown);
            Stores.waitFor("two failed commits", () -> store.writer().failedCommits() >= 2);
            assertEquals(1, ran.getCount(), "no action for changes not stored");
            assertEquals(commits, store.writer().commits(), "nothing committed");
            store.writer().beforeRetry = db -> Sql.text(db, "PRAGMA max_page_count = 1073741823"); // room again
            assertTrue(ran.await(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS), "the action ran once stored");
        }
        try (SqlitePersistence store = Stores.open(file, "")) {
            List<StoredDelivery> back = store.loadDeliveries("c");
            assertEquals(1, back.size());
            assertEquals(500_000, back.get(0).message().payload().remaining());
        }
    }

    @Test
    @DisplayName("close commits what is queued and runs its actions; close again is ignored; recording after it throws")
    void closeDrains() throws Exception {
        Path file = dir.resolve("zzq.db");
        SqlitePersistence store = Stores.open(file, "");
        CountDownLatch ran = new CountDownLatch(1);
        for (int i = 1; i <= 500; i++) {
            store.saveDelivery("c", delivery(i, "p" + i));
        }
        store.whenDurable(ran::countDown);
        store.close();
        assertEquals(0, ran.getCount(), "the action ran before close returned");
        store.close();
        assertThrows(IllegalStateException.class, () -> store.removeRetained("x"));
        assertThrows(IllegalStateException.class, store::loadSessions);
        assertFalse(Files.exists(Path.of(file + "-wal")) && Files.size(Path.of(file + "-wal")) > 0,
                "the log was checkpointed into the file");
        try (SqlitePersistence again = Stores.open(file, "")) {
            assertEquals(500, again.loadDeliveries("c").size());
        }
    }

    @Test
    @DisplayName("past the queue limit a caller waits for the writer, then goes on; nothing is lost")
    void backpressure() throws Exception {
        try (SqlitePersistence store = Stores.open(dir.resolve("zzq.db"), "")) {
            CountDownLatch release = holdWriter(store);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i <= SqlitePersistence.QUEUE_LIMIT; i++) {
                    store.addAwaitingRelease("c", i % 65_535 + 1);
                }
            });
            Stores.waitFor("the producer past the limit", () -> store.queueSize() > SqlitePersistence.QUEUE_LIMIT);
            assertFalse(producer.isDone(), "the producer waits while the queue is over its limit");
            release.countDown();
            producer.get(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            Stores.awaitDurable(store);
            assertEquals(65_535, Stores.number(store, "SELECT count(*) FROM awaiting_release"));
        }
    }

    @ParameterizedTest(name = "sync={0}")
    @EnumSource(Sync.class)
    @DisplayName("each sync level sets SQLite up as documented: WAL, exclusive lock, FULL or NORMAL")
    void syncLevels(Sync sync) throws Exception {
        try (SqlitePersistence store = Stores.open(dir.resolve("zzq.db"), Stores.query(sync))) {
            assertEquals("wal", store.read(db -> Sql.text(db, "PRAGMA journal_mode")));
            assertEquals("exclusive", store.read(db -> Sql.text(db, "PRAGMA locking_mode")));
            assertEquals(sync == Sync.COMMIT ? "2" : "1", store.read(db -> Sql.text(db, "PRAGMA synchronous")));
            if (sync == Sync.INTERVAL) {
                Stores.waitFor("interval checkpoints", () -> store.writer().checkpoints() >= 2);
            }
        }
    }

    @ParameterizedTest(name = "sync={0}")
    @EnumSource(Sync.class)
    @DisplayName("what whenDurable confirmed is in the files as a crashed process leaves them (copied while open)")
    void survivesProcessCrash(Sync sync) throws Exception {
        Path file = dir.resolve("zzq.db");
        Path crashed = Files.createDirectory(dir.resolve("crashed")).resolve("zzq.db");
        StoredMessage m = Stores.message("t", QoS.EXACTLY_ONCE, true, Stores.richProperties(), "kept", 0);
        try (SqlitePersistence store = Stores.open(file, sync == Sync.COMMIT ? "" : "?sync=interval&interval=600000")) {
            Stores.awaitDurable(store);
            store.retain(m);
            Stores.awaitDurable(store);
            // no close, no checkpoint (the interval is long): the files as the process leaves them if killed now
            Files.copy(file, crashed);
            if (Files.exists(Path.of(file + "-wal"))) {
                Files.copy(Path.of(file + "-wal"), Path.of(crashed + "-wal"));
            }
        }
        try (SqlitePersistence store = Stores.open(crashed, "")) {
            assertEquals(List.of(m), store.loadRetained());
        }
    }
}
