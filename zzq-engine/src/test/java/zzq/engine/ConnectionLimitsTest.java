package zzq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;

/** The connection limit, and one connection's misbehaviour staying its own. */
@Timeout(30)
class ConnectionLimitsTest {
    @RegisterExtension
    final BrokerFixture fixture = new BrokerFixture();
    private final MonitorLog log = fixture.log();

    @Test
    @DisplayName("maxConnections(2): a third socket is closed with ConnectionRejected; after one leaves, one more fits")
    void maxConnections() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.builder().maxConnections(2).build());
        try (RawClient a = Clients.connected(ep, MqttVersion.V5, "a", 30);
             RawClient b = Clients.connected(ep, MqttVersion.V3_1_1, "b", 30)) {
            try (RawClient third = new RawClient(ep, MqttVersion.V5)) {
                assertTrue(third.awaitClosed(Clients.WAIT), "the third connection is closed");
            }
            MonitorEvent.ConnectionRejected r = log.await(MonitorEvent.ConnectionRejected.class);
            assertEquals(ep, r.endpoint());
            a.send(Disconnect.NORMAL);
            assertTrue(a.awaitClosed(Clients.WAIT));
            log.await(MonitorEvent.Disconnected.class);
            try (RawClient c = Clients.connected(ep, MqttVersion.V5, "c", 30)) {
                c.send(zzq.codec.packet.Pingreq.INSTANCE);
                c.expect(zzq.codec.packet.Pingresp.class);
            }
            assertEquals(1, log.count(MonitorEvent.ConnectionRejected.class));
        }
    }

    @Test
    @DisplayName("one misbehaving connection never affects another: garbage on one, messages flow on the other")
    void garbageOnOneConnectionOnly() throws Exception {
        Endpoint ep = fixture.start(BrokerOptions.DEFAULTS);
        try (RawClient good = Clients.connected(ep, MqttVersion.V5, "good", 30)) {
            Clients.subscribe(good, "good/t", QoS.AT_LEAST_ONCE);
            for (int round = 0; round < 20; round++) {
                try (RawClient bad = Clients.connected(ep, MqttVersion.V5, "bad" + round, 30)) {
                    // PUBLISH QoS 0, remaining length 5, topic length 1, "x", then 0xFF where the 5.0 properties
                    // length goes: a variable byte integer that runs past the packet's end
                    bad.sendBytes(new byte[] {0x30, 0x05, 0x00, 0x01, 'x', (byte) 0xFF, (byte) 0xFF});
                    // a 5.0 client past CONNECT is told why (0x81 Malformed Packet)
                    Clients.assertDisconnected(bad, ReasonCode.MALFORMED_PACKET);
                }
                good.send(RawClient.publish("good/t", "m" + round, QoS.AT_LEAST_ONCE, round + 1, false));
                int acked = 0;
                int got = 0;
                while (acked + got < 2) {
                    MqttPacket p = good.read(Clients.WAIT);
                    if (p instanceof Puback a) {
                        assertEquals(round + 1, a.packetId());
                        acked++;
                    } else if (p instanceof Publish m) {
                        try {
                            assertEquals("m" + round, m.payload().toString(StandardCharsets.UTF_8));
                        } finally {
                            m.payload().release();
                        }
                        good.send(new Puback(m.packetId()));
                        got++;
                    } else {
                        throw new AssertionError("unexpected " + p);
                    }
                }
            }
        }
    }
}
