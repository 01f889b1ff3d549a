package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import zzq.api.spi.Persistence;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSubscription;
import zzq.codec.QoS;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/** The tests' stores and values. */
final class Stores {
    /** How long any wait in these tests may take before it fails. */
    static final long WAIT_MILLIS = 20_000;
    static final long DAY = 86_400_000L;

    private Stores() {
    }

    /** Opens the store at {@code file} with URL parameters such as {@code ?sync=interval} (or ""). */
    static SqlitePersistence open(Path file, String query) {
        return SqlitePersistence.open(SqliteUrl.parse("sqlite:" + file + query));
    }

    /** The URL query for a sync level. */
    static String query(Sync sync) {
        return sync == Sync.COMMIT ? "" : "?sync=interval&interval=50";
    }

    /** A plain JDBC connection to a store file, for looking inside or making one by hand (store closed). */
    static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    /** One number from the store's own connection, such as a row count. */
    static long number(SqlitePersistence store, String sql) {
        return store.read(db -> Long.parseLong(Sql.text(db, sql)));
    }

    /** Properties of every kind a PUBLISH carries, user properties in a deliberate order. */
    static Properties richProperties() {
        return Properties.builder()
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(PropertyId.CONTENT_TYPE, "text/plain; charset=utf-8")
                .add(PropertyId.RESPONSE_TOPIC, "reply/to/ü")
                .add(PropertyId.CORRELATION_DATA, BinaryData.of(new byte[] {0, 1, 2, (byte) 0xFF}))
                .userProperty("z", "last-first")
                .userProperty("a", "1")
                .userProperty("a", "2")
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455)
                .build();
    }

    /** A message with a text payload. */
    static StoredMessage message(String topic, QoS qos, boolean retain, Properties properties, String payload,
                                 long expiresAtMillis) {
        return new StoredMessage(topic, qos, retain, properties,
                ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), expiresAtMillis);
    }

    /** A message with these payload bytes. */
    static StoredMessage message(String topic, QoS qos, byte[] payload, long expiresAtMillis) {
        return new StoredMessage(topic, qos, false, Properties.EMPTY, ByteBuffer.wrap(payload), expiresAtMillis);
    }

    /** A subscription. */
    static StoredSubscription subscription(String filter, QoS qos, boolean noLocal, boolean rap, RetainHandling rh,
                                           int id) {
        return new StoredSubscription(filter, new SubscriptionOptions(qos, noLocal, rap, rh), id);
    }

    /** A few subscriptions with every option used. */
    static List<StoredSubscription> subscriptions() {
        return List.of(subscription("a/+/c", QoS.AT_LEAST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE, 7),
                subscription("$share/g/x/#", QoS.EXACTLY_ONCE, false, true, RetainHandling.SEND_IF_NEW_SUBSCRIPTION, 0),
                subscription("#", QoS.AT_MOST_ONCE, false, false, RetainHandling.DO_NOT_SEND, 268_435_455));
    }

    /** Waits until everything recorded so far is durable. */
    static void awaitDurable(Persistence store) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        store.whenDurable(done::countDown);
        assertTrue(done.await(WAIT_MILLIS, TimeUnit.MILLISECONDS), "whenDurable ran");
    }

    /** Waits until a condition holds, checking every few milliseconds. */
    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
