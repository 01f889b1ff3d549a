package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HiveMQ 3.1.1 ↔ zzq ↔ HiveMQ 5.0, both directions, at every QoS. */
class HiveMqQosTest extends BrokerFixture {

    private static void assertDelivered(String topic, int qos, String gotTopic, MqttQos gotQos, byte[] gotPayload) {
        assertEquals(topic, gotTopic);
        assertEquals(qos, gotQos.getCode());
        assertArrayEquals(Payloads.allBytes(), gotPayload);
    }

    @ParameterizedTest(name = "HiveMQ v5 publishes at QoS {0}, HiveMQ v3 subscribed at {1}, receives at {2}")
    @CsvSource({"0, 2, 0", "1, 2, 1", "2, 2, 2", "2, 1, 1", "2, 0, 0"})
    @DisplayName("5.0 publisher to 3.1.1 subscriber: byte-exact, QoS min(published, granted) (MQTT-3.8.4-8)")
    void v5ToV3(int pubQos, int subQos, int expectedQos) throws Exception {
        String topic = "hive/v5to3/" + pubQos + subQos;
        Mqtt3BlockingClient sub = HiveMq.v3Blocking(port, "hsub3");
        Mqtt5BlockingClient pub = HiveMq.v5Blocking(port, "hpub5");
        sub.connect();
        pub.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.fromCode(subQos)).send();
            pub.publishWith().topic(topic).qos(MqttQos.fromCode(pubQos)).payload(Payloads.allBytes()).send();
            Optional<Mqtt3Publish> r = in.receive(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(r.isPresent(), "nothing received");
            assertDelivered(topic, expectedQos, r.get().getTopic().toString(), r.get().getQos(),
                    r.get().getPayloadAsBytes());
        } finally {
            sub.disconnect();
            pub.disconnect();
        }
    }

    @ParameterizedTest(name = "HiveMQ v3 publishes at QoS {0}, HiveMQ v5 subscribed at {1}, receives at {2}")
    @CsvSource({"0, 2, 0", "1, 2, 1", "2, 2, 2", "2, 1, 1", "1, 0, 0"})
    @DisplayName("3.1.1 publisher to 5.0 subscriber: byte-exact, QoS min(published, granted) (MQTT-3.8.4-8)")
    void v3ToV5(int pubQos, int subQos, int expectedQos) throws Exception {
        String topic = "hive/v3to5/" + pubQos + subQos;
        Mqtt5BlockingClient sub = HiveMq.v5Blocking(port, "hsub5");
        Mqtt3BlockingClient pub = HiveMq.v3Blocking(port, "hpub3");
        sub.connect();
        pub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter(topic).qos(MqttQos.fromCode(subQos)).send();
            pub.publishWith().topic(topic).qos(MqttQos.fromCode(pubQos)).payload(Payloads.allBytes()).send();
            var r = HiveMq.receive(in);
            assertDelivered(topic, expectedQos, r.getTopic().toString(), r.getQos(), r.getPayloadAsBytes());
        } finally {
            sub.disconnect();
            pub.disconnect();
        }
    }
}
