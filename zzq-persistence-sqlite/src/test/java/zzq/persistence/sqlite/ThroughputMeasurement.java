package zzq.persistence.sqlite;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/**
 * Not a test (surefire's default patterns skip it, and it asserts nothing): how many saveDelivery + whenDurable
 * pairs per second each sync level takes, one action per delivery as a broker acknowledging each publication would:
 * many in flight (group commits), then one at a time (a commit, and for sync=commit an fsync, per pair).
 * Run: {@code mvn -o verify -pl zzq-persistence-sqlite -am -Dtest=ThroughputMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false}; the numbers are printed.
 */
class ThroughputMeasurement {
    private static final int MESSAGES = 200_000;
    private static final int ONE_AT_A_TIME = 2_000;

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        for (Sync sync : Sync.values()) {
            for (int round = 1; round <= 2; round++) {
                Path file = dir.resolve(sync + "-" + round + ".db");
                try (SqlitePersistence store = Stores.open(file, sync == Sync.COMMIT ? "" : "?sync=interval")) {
                    long commitsBefore = store.writer().commits();
                    CountDownLatch last = new CountDownLatch(1);
                    byte[] payload = new byte[100];
                    long start = System.nanoTime();
                    for (int i = 1; i <= MESSAGES; i++) {
                        StoredMessage m = Stores.message("bench/" + (i % 100), QoS.AT_LEAST_ONCE, payload, 0);
                        store.saveDelivery("client", new StoredDelivery(i, 0, false, i, m));
                        store.whenDurable(i == MESSAGES ? last::countDown : () -> { });
                    }
                    last.await(10, TimeUnit.MINUTES);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("sync=%s round %d: %d saveDelivery+whenDurable in %.2f s = %.0f pairs/s, "
                                    + "%d commits%n", sync.urlValue(), round, MESSAGES, seconds, MESSAGES / seconds,
                            store.writer().commits() - commitsBefore);
                    // one at a time: each pair waits for its action, so every commit holds one change
                    start = System.nanoTime();
                    for (int i = 1; i <= ONE_AT_A_TIME; i++) {
                        StoredMessage m = Stores.message("bench/one", QoS.AT_LEAST_ONCE, payload, 0);
                        store.saveDelivery("one", new StoredDelivery(i, 0, false, MESSAGES + i, m));
                        Stores.awaitDurable(store);
                    }
                    seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("sync=%s round %d: one at a time, %d in %.2f s = %.0f pairs/s%n",
                            sync.urlValue(), round, ONE_AT_A_TIME, seconds, ONE_AT_A_TIME / seconds);
                }
            }
        }
    }
}
