package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.engine.BrokerOptions;

/** Maximum Packet Size both ways: the subscriber's (HiveMQ restriction) and the broker's own (1024 bytes). */
class MaximumPacketSizeInteropTest extends BrokerFixture {

    @Override
    BrokerOptions options() {
        return BrokerOptions.builder().maxPacketSize(1024).build();
    }

    @Test
    @DisplayName("a 1000-byte message is not sent to a HiveMQ subscriber with Maximum Packet Size 200 but is to"
            + " another; a small one reaches both (MQTT-3.1.2-25, -26)")
    void tooBigForOneSubscriber() throws Exception {
        String topic = "mps/t";
        Mqtt5BlockingClient small = HiveMq.v5(port, "mps-small").buildBlocking();
        small.connectWith().restrictions().maximumPacketSize(200).applyRestrictions().send();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = small.publishes(MqttGlobalPublishFilter.ALL);
             PahoV5 big = PahoV5.connect(tcpUri(), "mps-big", PahoV5.options());
             PahoV5 pub = PahoV5.connect(tcpUri(), "mps-pub", PahoV5.options())) {
            small.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            assertEquals(1, big.subscribe(topic, 1));
            pub.publish(topic, new byte[1000], 1);
            pub.publish(topic, HiveMq.bytes("small"), 1);
            assertEquals(1000, big.next().message().getPayload().length);
            assertEquals("small", new String(big.next().message().getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            Mqtt5Publish first = HiveMq.receive(in);
            assertEquals("small", HiveMq.text(first), "the 1000-byte message was left out, not delayed");
            assertTrue(broker.statistics().publishDropped() >= 1, "counted as dropped");
        } finally {
            small.disconnect();
        }
    }

    @Test
    @DisplayName("a Paho v5 PUBLISH of 2000 bytes to a broker with Maximum Packet Size 1024 ends the connection"
            + " with DISCONNECT 0x95 (MQTT-3.2.2-15, MQTT-4.13.1)")
    void tooBigForTheBroker() throws Exception {
        try (PahoV5 pub = PahoV5.connect(tcpUri(), "mps-over", PahoV5.options())) {
            pub.client.publish("mps/over", new MqttMessage(new byte[2000]));
            MqttDisconnectResponse r = pub.disconnected.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(0x95, r.getReturnCode(), r.toString());
        }
    }
}
