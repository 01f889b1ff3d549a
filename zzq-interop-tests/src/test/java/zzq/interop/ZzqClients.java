package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import zzq.codec.MqttVersion;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.ReconnectPolicy;
import zzq.engine.Subscription;

/** The zzq client as a peer of real brokers: test defaults, waiting for messages and conditions, its events. */
final class ZzqClients {
    static final Duration WAIT = Duration.ofSeconds(BrokerFixture.WAIT_SECONDS);
    /** Quick reconnects, so a restarted broker is found again at once. */
    static final ReconnectPolicy FAST_RECONNECT = ReconnectPolicy.backoff(Duration.ofMillis(50),
            Duration.ofMillis(400));

    private ZzqClients() {
    }

    /** Options for {@code version} and {@code clientId} with bounded timeouts and quick reconnects. */
    static ClientOptions.Builder options(MqttVersion version, String clientId) {
        return ClientOptions.builder().version(version).clientId(clientId).connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(WAIT).reconnect(FAST_RECONNECT);
    }

    /** Options for a session that outlives the connection: 3.1.1 clean session false, 5.0 a session expiry. */
    static ClientOptions persistent(MqttVersion version, String clientId) {
        ClientOptions.Builder b = options(version, clientId).cleanStart(false);
        return (version.isV5() ? b.sessionExpiry(600) : b).build();
    }

    /** The next message of {@code s}; fails if none comes within {@link #WAIT}. */
    static ApplicationMessage next(Subscription s) throws InterruptedException {
        ApplicationMessage m = s.receive(WAIT);
        assertNotNull(m, "no message on " + s.filters() + " within " + WAIT.toSeconds() + " s");
        return m;
    }

    /**
     * Fails if {@code s} receives anything within {@code quiet}: for messages that must not come, after a later
     * message on the same path has proven that the path is clear.
     */
    static void assertNoMessage(Subscription s, Duration quiet) throws InterruptedException {
        ApplicationMessage m = s.receive(quiet);
        assertNull(m, () -> "unexpected message on " + s.filters() + ": " + m);
    }

    /** Waits (bounded by {@link #WAIT}) until {@code condition} holds, polling; fails with {@code what}. */
    static void await(String what, BooleanSupplier condition) {
        await(() -> what, condition);
    }

    /** As {@link #await(String, BooleanSupplier)}, the description computed at failure (to show the state). */
    static void await(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A client's monitor events, as they came. */
    static final class Events implements Consumer<MonitorEvent> {
        private final List<MonitorEvent> seen = new CopyOnWriteArrayList<>();

        @Override
        public void accept(MonitorEvent e) {
            seen.add(e);
        }

        /** How many events of {@code type} came so far. */
        long count(Class<? extends MonitorEvent> type) {
            return seen.stream().filter(type::isInstance).count();
        }

        /** The events of {@code type} so far. */
        <T extends MonitorEvent> List<T> all(Class<T> type) {
            return seen.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Waits until at least {@code n} events of {@code type} came. */
        void await(Class<? extends MonitorEvent> type, long n) {
            ZzqClients.await(() -> n + " " + type.getSimpleName() + " events; so far " + seen,
                    () -> count(type) >= n);
        }

        @Override
        public String toString() {
            return seen.toString();
        }
    }
}
