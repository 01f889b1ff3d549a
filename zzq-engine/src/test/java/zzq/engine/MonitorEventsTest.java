package zzq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;

/** The monitor events of a connection's and a broker's life, in the order they happen. */
@Timeout(30)
class MonitorEventsTest {
    @RegisterExtension
    final BrokerFixture fixture = new BrokerFixture();
    private final MonitorLog log = fixture.log();
    private Broker broker;
    private Endpoint ep;

    @BeforeEach
    void start() {
        ep = fixture.start(BrokerOptions.builder().connectTimeout(Duration.ofMillis(300)).build());
        broker = fixture.broker();
    }

    @Test
    @DisplayName("Listening carries the bound endpoint with its real port")
    void listening() throws Exception {
        MonitorEvent.Listening l = log.await(MonitorEvent.Listening.class);
        assertTrue(ep.port() > 0, ep.toString());
        assertEquals(ep, l.endpoint());
    }

    @Test
    @DisplayName("Accepted, HandshakeSucceeded (client id, version), then Disconnected (normal, by the peer)")
    void connectionLife() throws Exception {
        try (RawClient c = Clients.connected(ep, MqttVersion.V5, "watched", 30)) {
            MonitorEvent.Accepted a = log.await(MonitorEvent.Accepted.class);
            MonitorEvent.HandshakeSucceeded ok = log.await(MonitorEvent.HandshakeSucceeded.class);
            assertEquals(a.connectionId(), ok.connectionId());
            assertEquals(ep, a.endpoint());
            assertEquals("watched", ok.clientId());
            assertEquals(MqttVersion.V5, ok.version());
            c.send(Disconnect.NORMAL);
            MonitorEvent.Disconnected d = log.await(MonitorEvent.Disconnected.class);
            assertEquals(ok.connectionId(), d.connectionId());
            assertEquals("watched", d.clientId());
            assertEquals(ReasonCode.NORMAL_DISCONNECTION, d.reasonCode());
            assertTrue(d.byPeer());
        }
    }

    @Test
    @DisplayName("a CONNECT refused in CONNACK: one HandshakeFailed with the refusal's reason (MQTT-3.1.3-8)")
    void refusedConnect() throws Exception {
        try (RawClient c = new RawClient(ep, MqttVersion.V3_1_1)) {
            // 3.1.1: an empty client identifier needs clean session
            c.send(RawClient.connect(MqttVersion.V3_1_1, "", false, 30));
            Clients.assertRefused(c, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        }
        MonitorEvent.HandshakeFailed f = log.await(MonitorEvent.HandshakeFailed.class);
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, f.reasonCode());
        Clients.assertServes(ep); // later events prove the refusal's are all in
        assertEquals(1, log.count(MonitorEvent.HandshakeFailed.class), log.events().toString());
        assertEquals(0, log.events().stream().filter(e -> e instanceof MonitorEvent.Disconnected d
                && d.connectionId() == f.connectionId()).count(), "a refused connection was never connected");
    }

    @Test
    @DisplayName("a socket that sends no CONNECT in time: HandshakeFailed 0xA0 Maximum connect time")
    void connectTimeout() throws Exception {
        try (RawClient c = new RawClient(ep, MqttVersion.V5)) {
            MonitorEvent.HandshakeFailed f = log.await(MonitorEvent.HandshakeFailed.class);
            assertEquals(ReasonCode.MAXIMUM_CONNECT_TIME, f.reasonCode());
            assertTrue(c.awaitClosed(Clients.WAIT));
        }
    }

    @Test
    @DisplayName("close: ListenerClosed for the endpoint, then Closed, once; close() is idempotent")
    void closeIsIdempotent() throws Exception {
        broker.close();
        broker.close();
        assertEquals(ep, log.await(MonitorEvent.ListenerClosed.class).endpoint());
        log.await(MonitorEvent.Closed.class);
        broker.close();
        List<MonitorEvent> events = log.events();
        assertInstanceOf(MonitorEvent.Closed.class, events.get(events.size() - 1), "no event after Closed");
        assertEquals(1, log.count(MonitorEvent.Closed.class));
        assertEquals(1, log.count(MonitorEvent.ListenerClosed.class));
        assertFalse(events.indexOf(new MonitorEvent.ListenerClosed(ep)) > events.size() - 2);
    }

    @Test
    @DisplayName("close ends live connections: a 5.0 client gets DISCONNECT 0x8B and a Disconnected event follows")
    void closeEndsConnections() throws Exception {
        try (RawClient c = Clients.connected(ep, MqttVersion.V5, "live", 30)) {
            broker.close();
            Clients.assertDisconnected(c, ReasonCode.SERVER_SHUTTING_DOWN);
        }
        assertEquals(ReasonCode.SERVER_SHUTTING_DOWN,
                log.await(MonitorEvent.Disconnected.class).reasonCode());
    }
}
