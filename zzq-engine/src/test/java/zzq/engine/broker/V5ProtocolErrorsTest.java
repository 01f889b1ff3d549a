package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

/** 5.0 limits the broker enforces on what a client sends, and the codes it answers with. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V5ProtocolErrorsTest extends BrokerTestBase {

    private void expectDisconnect(RawClient c, ReasonCode reason) throws Exception {
        assertEquals(reason, c.expect(Disconnect.class).reasonCode());
        assertClosed(c);
    }

    @Test
    @DisplayName("a Topic Alias above the broker's Topic Alias Maximum → DISCONNECT 0x94 (MQTT-3.3.2-12, 3.3.2.3.4)")
    void topicAliasAboveMaximum() throws Exception {
        start(BrokerOptions.builder().maxTopicAlias(3).build());
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("a/t", "x", QoS.AT_MOST_ONCE, 0, false, prop(PropertyId.TOPIC_ALIAS, 4)));
        expectDisconnect(p, ReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    @DisplayName("an empty topic with an alias never set → DISCONNECT 0x82 Protocol Error (3.3.2.3.4)")
    void unknownTopicAlias() throws Exception {
        start();
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("", "x", QoS.AT_MOST_ONCE, 0, false, prop(PropertyId.TOPIC_ALIAS, 2)));
        expectDisconnect(p, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("more unreleased QoS 2 messages than the broker's Receive Maximum → DISCONNECT 0x93 (3.3.4, 3.2.2.3.3)")
    void receiveMaximumExceeded() throws Exception {
        start(BrokerOptions.builder().maxInflightMessages(2).build());
        RawClient p = client(MqttVersion.V5, "p");
        assertEquals(2, lastConnack.properties().integerOr(PropertyId.RECEIVE_MAXIMUM, -1));
        for (int id = 1; id <= 2; id++) {
            p.send(publish("a/t", "x", QoS.EXACTLY_ONCE, id, false, Properties.EMPTY));
            assertEquals(id, p.expect(Pubrec.class).packetId());
        }
        p.send(publish("a/t", "x", QoS.EXACTLY_ONCE, 3, false, Properties.EMPTY));
        expectDisconnect(p, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
    }

    @Test
    @DisplayName("Payload Format Indicator 1 with a payload that is not UTF-8 → PUBACK 0x99 (3.3.2.3.2)")
    void payloadFormatInvalid() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", "a/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        p.send(new zzq.codec.packet.Publish("a/t", QoS.AT_LEAST_ONCE, false, false, 1,
                prop(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1),
                io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3, (byte) 0x28})));
        assertEquals(ReasonCode.PAYLOAD_FORMAT_INVALID, p.expect(Puback.class).reasonCode());
        expectNothing(s);
    }

    @Test
    @DisplayName("a packet larger than the broker's Maximum Packet Size → DISCONNECT 0x95 (3.1.2.11.4, 4.13)")
    void packetTooLarge() throws Exception {
        start(BrokerOptions.builder().maxPacketSize(200).build());
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("a/t", "x".repeat(500), QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        expectDisconnect(p, ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    @DisplayName("UNSUBACK: 0x00 for a subscription that existed, 0x11 for one that did not (3.11.3)")
    void unsubackCodes() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", "a/t", QoS.AT_LEAST_ONCE);
        s.send(new Unsubscribe(2, List.of("a/t", "b/t"), Properties.EMPTY));
        Unsuback ack = s.expect(Unsuback.class);
        assertEquals(2, ack.packetId());
        assertEquals(List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), ack.reasonCodes());
    }
}
