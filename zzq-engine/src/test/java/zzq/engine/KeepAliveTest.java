package zzq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.property.PropertyId;

/** Keep alive (1.5 times the client's, MQTT-3.1.2-24), Server Keep Alive, and the connect timeout. */
@Timeout(30)
class KeepAliveTest {
    @RegisterExtension
    final BrokerFixture fixture = new BrokerFixture();
    private final MonitorLog log = fixture.log();

    @Test
    @DisplayName("a silent 5.0 client with keep alive 1 s gets DISCONNECT 0x8D after about 1.5 s (MQTT-3.1.2-24)")
    void silentClientDropped() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.DEFAULTS);
        try (RawClient c = Clients.connected(ep, MqttVersion.V5, "silent", 1)) {
            long t0 = System.nanoTime();
            Clients.assertDisconnected(c, ReasonCode.KEEP_ALIVE_TIMEOUT);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1200 && ms <= 5000, "dropped after " + ms + " ms");
        }
        MonitorEvent.Disconnected d = log.await(MonitorEvent.Disconnected.class);
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, d.reasonCode());
        assertEquals("silent", d.clientId());
    }

    @Test
    @DisplayName("a silent 3.1.1 client is just closed (no DISCONNECT from a 3.1.1 server)")
    void silentV311ClientClosed() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.DEFAULTS);
        try (RawClient c = Clients.connected(ep, MqttVersion.V3_1_1, "silent311", 1)) {
            long t0 = System.nanoTime();
            assertNull(c.poll(Duration.ofMillis(1000)), "nothing before the keep alive runs out");
            Clients.assertClosedSilently(c);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1200 && ms <= 5000, "dropped after " + ms + " ms");
        }
    }

    @Test
    @DisplayName("a client that sends PINGREQ within its keep alive stays connected")
    void pingingClientStays() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.DEFAULTS);
        try (RawClient c = Clients.connected(ep, MqttVersion.V5, "pinger", 1)) {
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // twice the 1.5 s allowance
            while (System.nanoTime() < end) {
                c.send(Pingreq.INSTANCE);
                c.expect(Pingresp.class);
                // paced at half the keep alive; anything else the broker sends (a DISCONNECT) fails here
                assertNull(c.poll(Duration.ofMillis(500)));
            }
            c.send(Pingreq.INSTANCE);
            c.expect(Pingresp.class);
        }
        assertEquals(0, log.events().stream().filter(e -> e instanceof MonitorEvent.Disconnected d
                && d.reasonCode() == ReasonCode.KEEP_ALIVE_TIMEOUT).count());
    }

    /** The CONNACK a 5.0 client asking this keep alive gets from a broker whose maximum is 10 s; it must succeed. */
    private Connack v5ConnackUnderMaximumTen(int keepAlive) throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.builder().maxKeepAlive(10).build());
        try (RawClient c = new RawClient(ep, MqttVersion.V5)) {
            c.send(RawClient.connect(MqttVersion.V5, "asks" + keepAlive, true, keepAlive));
            Connack ack = c.expect(Connack.class);
            assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
            return ack;
        }
    }

    @Test
    @DisplayName("Server Keep Alive: a 5.0 client asking 100 s over a maximum of 10 s is told 10 (3.2.2.3.14)")
    void serverKeepAliveLowersTheRequest() throws Exception {
        assertEquals(10, v5ConnackUnderMaximumTen(100).properties().integerOr(PropertyId.SERVER_KEEP_ALIVE, -1));
    }

    @Test
    @DisplayName("Server Keep Alive: a 5.0 client asking 0 (none) under a maximum of 10 s is told 10")
    void serverKeepAliveReplacesZero() throws Exception {
        assertEquals(10, v5ConnackUnderMaximumTen(0).properties().integerOr(PropertyId.SERVER_KEEP_ALIVE, -1));
    }

    @Test
    @DisplayName("a 5.0 client within the maximum gets no Server Keep Alive")
    void keepAliveWithinMaximumUnchanged() throws Exception {
        assertEquals(-1, v5ConnackUnderMaximumTen(5).properties().integerOr(PropertyId.SERVER_KEEP_ALIVE, -1));
    }

    @Test
    @DisplayName("a 3.1.1 client asking a keep alive over the maximum is refused (it cannot be told another)")
    void v311OverMaximumRefused() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.builder().maxKeepAlive(10).build());
        try (RawClient c = new RawClient(ep, MqttVersion.V3_1_1)) {
            c.send(RawClient.connect(MqttVersion.V3_1_1, "asks100", true, 100));
            // the 5.0 refusal folds onto 3.1.1's return code 3, Server unavailable
            Clients.assertRefused(c, ReasonCode.SERVER_UNAVAILABLE);
        }
    }

    @Test
    @DisplayName("connect timeout: a socket that sends nothing is closed within a bound")
    void connectTimeout() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.builder().connectTimeout(Duration.ofMillis(300)).build());
        try (RawClient c = new RawClient(ep, MqttVersion.V5)) {
            long t0 = System.nanoTime();
            assertTrue(c.awaitClosed(Clients.WAIT), "closed");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 200 && ms <= 3000, "closed after " + ms + " ms");
        }
        assertEquals(ReasonCode.MAXIMUM_CONNECT_TIME, log.await(MonitorEvent.HandshakeFailed.class).reasonCode());
    }

    @Test
    @DisplayName("connect timeout: a CONNECT sent half-way is not a CONNECT; the socket is still closed")
    void partialConnectTimesOut() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.builder().connectTimeout(Duration.ofMillis(300)).build());
        try (RawClient c = new RawClient(ep, MqttVersion.V5)) {
            // CONNECT type, remaining length 16, then only the protocol name length and "MQ"
            c.sendBytes(new byte[] {0x10, 0x10, 0x00, 0x04, 'M', 'Q'});
            assertTrue(c.awaitClosed(Clients.WAIT), "closed");
        }
        Clients.assertServes(ep);
    }
}
