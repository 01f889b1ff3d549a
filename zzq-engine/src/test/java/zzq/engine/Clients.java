package zzq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLong;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;

/** Steps that many broker tests share: connecting a {@link RawClient}, checking how a connection ends. */
public final class Clients {
    /** How long a test waits for the broker to answer or close. */
    public static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicLong PROBES = new AtomicLong();

    private Clients() {
    }

    /** A client whose CONNECT was accepted. */
    public static RawClient connected(Endpoint ep, MqttVersion v, String clientId, int keepAlive) throws IOException {
        RawClient c = new RawClient(ep, v);
        c.send(RawClient.connect(v, clientId, true, keepAlive));
        Connack ack = c.expect(Connack.class);
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode(), "CONNACK of " + clientId);
        return c;
    }

    /** Subscribes and waits for the SUBACK. */
    public static void subscribe(RawClient c, String filter, QoS qos) throws IOException {
        c.send(new Subscribe(1, List.of(new Subscription(filter, SubscriptionOptions.of(qos))), Properties.EMPTY));
        c.expect(Suback.class);
    }

    /**
     * Proves the broker still serves: a fresh 5.0 client connects, subscribes to its own topic, publishes at QoS 1
     * and gets both the PUBACK and its message back.
     */
    public static void assertServes(Endpoint ep) throws IOException {
        String id = "probe-" + PROBES.incrementAndGet();
        try (RawClient c = connected(ep, MqttVersion.V5, id, 30)) {
            subscribe(c, "probe/" + id, QoS.AT_LEAST_ONCE);
            c.send(RawClient.publish("probe/" + id, "alive", QoS.AT_LEAST_ONCE, 1, false));
            boolean acked = false;
            boolean delivered = false;
            while (!acked || !delivered) {
                MqttPacket p = c.read(WAIT);
                if (p instanceof Puback a) {
                    assertEquals(1, a.packetId());
                    acked = true;
                } else if (p instanceof Publish pub) {
                    try {
                        assertEquals("alive", pub.payload().toString(StandardCharsets.UTF_8));
                    } finally {
                        pub.payload().release();
                    }
                    delivered = true;
                } else {
                    throw new AssertionError("unexpected " + p);
                }
            }
        }
    }

    /** Waits until {@code condition} holds, checking every few milliseconds, or fails after {@code timeout}. */
    public static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** The next packet is a DISCONNECT with this reason, and then the broker closes the connection. */
    public static Disconnect assertDisconnected(RawClient c, ReasonCode reason) throws IOException {
        Disconnect d = lastBeforeClose(c, Disconnect.class, reason);
        assertEquals(reason, d.reasonCode());
        return d;
    }

    /** The next packet is a CONNACK with this reason, and then the broker closes the connection. */
    public static Connack assertRefused(RawClient c, ReasonCode reason) throws IOException {
        Connack a = lastBeforeClose(c, Connack.class, reason);
        assertEquals(reason, a.reasonCode());
        return a;
    }

    private static <T extends MqttPacket> T lastBeforeClose(RawClient c, Class<T> type, ReasonCode reason)
            throws IOException {
        MqttPacket p = c.read(WAIT);
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " " + reason + ", got " + p);
        }
        assertTrue(c.awaitClosed(WAIT), "the broker closes after its " + type.getSimpleName());
        return type.cast(p);
    }

    /** The broker closes the connection without sending anything first. */
    public static void assertClosedSilently(RawClient c) throws IOException {
        MqttPacket p = c.poll(WAIT);
        if (p instanceof Publish pub) {
            pub.payload().release();
        }
        assertNull(p, "nothing is sent before the close");
        assertTrue(c.awaitClosed(WAIT), "the broker closes the connection");
    }
}
