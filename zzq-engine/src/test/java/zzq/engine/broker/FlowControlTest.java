package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Puback;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

/** 5.0 flow control towards clients: Receive Maximum, Maximum Packet Size, and the limits CONNACK announces. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowControlTest extends BrokerTestBase {

    @Test
    @DisplayName("client Receive Maximum 2: no more than 2 unacknowledged QoS 1 messages in flight (MQTT-3.3.4-9)")
    void receiveMaximumHonoured() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", true, prop(PropertyId.RECEIVE_MAXIMUM, 2),
                "f/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        for (int i = 1; i <= 3; i++) {
            publishAcked(p, "f/t", "m" + i, i, false, Properties.EMPTY);
        }
        Msg m1 = receive(s);
        Msg m2 = receive(s);
        assertEquals("m1", m1.payload());
        assertEquals("m2", m2.payload());
        expectNothing(s);
        s.send(new Puback(m1.packetId()));
        assertEquals("m3", receive(s).payload());
    }

    @Test
    @DisplayName("CONNACK carries the broker's Receive Maximum, Maximum Packet Size, Topic Alias Maximum (3.2.2.3.3, -.6, -.8)")
    void connackAnnouncesLimits() throws Exception {
        start(BrokerOptions.builder().maxInflightMessages(10).maxPacketSize(4096).maxTopicAlias(7).build());
        client(MqttVersion.V5, "c");
        Properties p = lastConnack.properties();
        assertEquals(10, p.integerOr(PropertyId.RECEIVE_MAXIMUM, -1));
        assertEquals(4096, p.integerOr(PropertyId.MAXIMUM_PACKET_SIZE, -1));
        assertEquals(7, p.integerOr(PropertyId.TOPIC_ALIAS_MAXIMUM, -1));
    }

    @Test
    @DisplayName("a message larger than a client's Maximum Packet Size is dropped for that client alone (MQTT-3.1.2-25)")
    void maximumPacketSizeDropsForThatClientOnly() throws Exception {
        start();
        RawClient small = subscriber(MqttVersion.V5, "small", true, prop(PropertyId.MAXIMUM_PACKET_SIZE, 100),
                "f/t", QoS.AT_LEAST_ONCE);
        RawClient big = subscriber(MqttVersion.V5, "big", "f/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        long droppedBefore = broker.statistics().publishDropped();
        publishAcked(p, "f/t", "x".repeat(500), 1, false, Properties.EMPTY);
        assertEquals(500, receive(big).payload().length());
        publishAcked(p, "f/t", "small", 2, false, Properties.EMPTY);
        assertEquals("small", receive(small).payload(), "the big one was skipped, not queued");
        assertTrue(broker.statistics().publishDropped() > droppedBefore, "the drop is counted");
    }

    @Test
    @DisplayName("on resume, in-flight re-sends respect the new connection's Receive Maximum (MQTT-3.3.4-9 with MQTT-4.4.0-1)")
    void resumeRespectsNewReceiveMaximum() throws Exception {
        start();
        Properties wide = Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 300)
                .add(PropertyId.RECEIVE_MAXIMUM, 10).build();
        RawClient s = subscriber(MqttVersion.V5, "s", true, wide, "f/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        for (int i = 1; i <= 4; i++) {
            publishAcked(p, "f/t", "m" + i, i, false, Properties.EMPTY);
        }
        for (int i = 1; i <= 4; i++) {
            receive(s); // not acknowledged
        }
        s.close();
        Properties narrow = Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 300)
                .add(PropertyId.RECEIVE_MAXIMUM, 2).build();
        RawClient back = client(MqttVersion.V5, "s", false, narrow);
        assertTrue(lastConnack.sessionPresent());
        Msg m1 = receive(back);
        receive(back);
        expectNothing(back);
        back.send(new Puback(m1.packetId()));
        assertTrue(receive(back).dup());
    }
}
