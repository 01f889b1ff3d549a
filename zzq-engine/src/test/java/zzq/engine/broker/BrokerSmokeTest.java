package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

class BrokerSmokeTest {
    @Test
    void publishReachesSubscriber() throws Exception {
        try (Broker broker = Broker.start(BrokerOptions.DEFAULTS)) {
            var ep = broker.bind("mqtt://127.0.0.1:0");
            try (RawClient sub = new RawClient(ep, MqttVersion.V5); RawClient pub = new RawClient(ep, MqttVersion.V3_1_1)) {
                sub.send(RawClient.connect(MqttVersion.V5, "sub", true, 30));
                Connack ack = sub.expect(Connack.class);
                assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
                assertFalse(ack.sessionPresent());
                sub.send(new Subscribe(1, List.of(new Subscription("a/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                        Properties.EMPTY));
                sub.expect(Suback.class);
                pub.send(RawClient.connect(MqttVersion.V3_1_1, "pub", true, 30));
                pub.expect(Connack.class);
                pub.send(RawClient.publish("a/b", "hello", QoS.AT_LEAST_ONCE, 7, false));
                assertEquals(7, pub.expect(Puback.class).packetId());
                Publish got = sub.expect(Publish.class);
                try {
                    assertEquals("a/b", got.topic());
                    assertEquals("hello", got.payload().toString(StandardCharsets.UTF_8));
                    assertEquals(QoS.AT_LEAST_ONCE, got.qos());
                } finally {
                    got.payload().release();
                }
            }
        }
    }
}
