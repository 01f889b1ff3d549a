package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Broker → client Topic Aliases, seen on the wire by a {@link RecordingRelay} in front of a HiveMQ 5.0 subscriber. */
class TopicAliasToClientInteropTest extends BrokerFixture {

    @Test
    @DisplayName("to a HiveMQ client allowing Topic Alias Maximum 5 the broker sends each topic name once, and"
            + " every message still arrives on its own topic (MQTT-3.3.2-17, 3.3.2.3.4)")
    void brokerSendsEachTopicOnce() throws Exception {
        String a = "alias/out/a/long/topic/name";
        String b = "alias/out/b/long/topic/name";
        int n = 10;
        try (RecordingRelay relay = new RecordingRelay(port);
             PahoV5 pub = PahoV5.connect(tcpUri(), "alias-out-pub", PahoV5.options())) {
            Mqtt5BlockingClient sub = HiveMq.v5(relay.port(), "alias-out-sub").buildBlocking();
            sub.connectWith().restrictions().topicAliasMaximum(5).applyRestrictions().send();
            try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("alias/out/#").qos(MqttQos.AT_LEAST_ONCE).send();
                for (int i = 0; i < n; i++) {
                    pub.publish(i % 2 == 0 ? a : b, HiveMq.bytes("p" + i), 1);
                }
                for (int i = 0; i < n; i++) {
                    Mqtt5Publish p = HiveMq.receive(in);
                    assertEquals(i % 2 == 0 ? a : b, p.getTopic().toString());
                    assertEquals("p" + i, HiveMq.text(p));
                }
            } finally {
                sub.disconnect();
            }
            assertEquals(1, relay.occurrencesFromBroker(a), "topic a went on the wire once, then by alias");
            assertEquals(1, relay.occurrencesFromBroker(b), "topic b went on the wire once, then by alias");
            assertTrue(relay.occurrencesFromBroker("p" + (n - 1)) == 1, "the relay saw the messages");
        }
    }
}
