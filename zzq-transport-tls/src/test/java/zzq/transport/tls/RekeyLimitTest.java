package zzq.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.ReconnectPolicy;
import zzq.engine.Subscription;
import zzq.testkit.TestCertificates;

/**
 * MAX_BYTES: once a connection has carried that much application data (both ways together) it is closed, so that
 * the next connection has new keys; zzq clients reconnect, resume their sessions and lose nothing. Tested with a
 * limit of 64 KiB instead of 128 GiB.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RekeyLimitTest {
    private static final long LIMIT = 64 * 1024;
    private static final int MESSAGES = 300;
    private static final int SIZE = 1024;

    static final TestCertificates certs = TestCertificates.shared();

    @RegisterExtension
    final TlsFixture broker = new TlsFixture();

    /**
     * A client that resumes its session. Its receive maximum keeps what the broker resends on a reconnect (10
     * messages, 10 KiB) well below the limit: a window of unacknowledged messages larger than the limit would be cut
     * off and resent forever.
     */
    private static ClientOptions resuming(String id, TransportOptions tls) {
        return ClientOptions.builder().clientId(id).cleanStart(true).sessionExpiry(300).receiveMaximum(10)
                .transportOptions(tls)
                .reconnect(ReconnectPolicy.backoff(Duration.ofMillis(10), Duration.ofMillis(100))).build();
    }

    @Test
    void theListenerClosesAtTheLimitAndClientsCarryOn() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs).with(TlsOptions.MAX_BYTES, LIMIT));
        carryOn(at, TlsFixture.trusting(certs));
        MonitorEvent.Disconnected closed = broker.await(MonitorEvent.Disconnected.class,
                d -> d.detail().contains("MAX_BYTES"));
        assertTrue(closed.detail().contains("passed the limit of " + LIMIT), closed.detail());
    }

    @Test
    void aClientClosesAtItsOwnLimitAndReconnects() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs));
        carryOn(at, TlsFixture.trusting(certs).with(TlsOptions.MAX_BYTES, LIMIT));
    }

    /**
     * Sends {@link #MESSAGES} messages of {@link #SIZE} bytes at QoS 1 from one client to another: several times the
     * limit, so both connections are closed several times over; every message arrives, and both clients
     * reconnected.
     */
    private void carryOn(Endpoint at, TransportOptions clientTls) throws Exception {
        BitSet seen = new BitSet(MESSAGES);
        try (Client sub = Client.connect(at.toString(), resuming("sub", clientTls));
             Client pub = Client.connect(at.toString(), resuming("pub", clientTls))) {
            Subscription s = sub.subscribe("bulk/#", QoS.AT_LEAST_ONCE);
            java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
            sub.onMonitorEvent(e -> {
                if (e instanceof MonitorEvent.Connected) {
                    reconnects.incrementAndGet();
                }
            });
            for (int i = 0; i < MESSAGES; i++) {
                byte[] payload = new byte[SIZE];
                ByteBuffer.wrap(payload).putInt(i);
                pub.publish("bulk/" + i, payload, QoS.AT_LEAST_ONCE, false);
            }
            while (seen.cardinality() < MESSAGES) {
                ApplicationMessage m = s.receive(Duration.ofSeconds(10));
                assertNotNull(m, "message " + seen.nextClearBit(0) + " of " + MESSAGES + " never came; reconnects: "
                        + reconnects);
                assertEquals(SIZE, m.payloadAsBytes().length);
                seen.set(ByteBuffer.wrap(m.payloadAsBytes()).getInt());
            }
            // 300 KiB through each client's connection, 64 KiB per connection: at least 4 reconnects each
            assertTrue(reconnects.get() >= 4, "the subscriber reconnected " + reconnects + " times");
        }
    }
}
