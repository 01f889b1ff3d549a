package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** mosquitto_pub → zzq → mosquitto_sub, over 3.1.1 and 5.0, at every QoS. */
class MosquittoQosTest extends BrokerFixture {

    @ParameterizedTest(name = "{0}: published at QoS {1}, subscribed at QoS {2}, received at QoS {3}")
    @CsvSource({
            "mqttv311, 0, 2, 0", "mqttv311, 1, 2, 1", "mqttv311, 2, 2, 2", "mqttv311, 2, 1, 1", "mqttv311, 2, 0, 0",
            "mqttv5, 0, 2, 0", "mqttv5, 1, 2, 1", "mqttv5, 2, 2, 2", "mqttv5, 2, 1, 1", "mqttv5, 1, 0, 0"})
    @DisplayName("payload arrives byte-exact at min(published, granted) QoS (MQTT-3.8.4-8 / MQTT-3.3.4-1)")
    void deliversAtTheLowerQos(String version, int pubQos, int subQos, int expectedQos) throws Exception {
        String topic = "interop/" + version + "/" + pubQos + subQos;
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", version, "-q", Integer.toString(subQos), "-t", topic)) {
            // every byte value, so a text-mangling peer or broker would show
            Mosquitto.pubOk(port, "-V", version, "-q", Integer.toString(pubQos), "-t", topic, "-f",
                    Payloads.allBytesFile().toString());
            Mosquitto.Received r = sub.next();
            assertEquals(topic, r.topic());
            assertEquals(expectedQos, r.qos());
            assertFalse(r.retain());
            assertArrayEquals(Payloads.allBytes(), r.payload());
        }
    }
}
