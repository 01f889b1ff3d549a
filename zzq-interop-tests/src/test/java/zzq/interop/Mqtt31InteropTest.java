package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT 3.1 (protocol name {@code MQIsdp}, level 3) peers: the Mosquitto tools with {@code -V mqttv31} and Paho v3. */
class Mqtt31InteropTest extends BrokerFixture {
    private static final String V31 = "mqttv31";

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("mosquitto_pub 3.1 → mosquitto_sub 3.1: byte-exact at the published QoS (MQTT 3.1 section 4.1)")
    void mosquittoAtEveryQos(int qos) throws Exception {
        String topic = "v31/mosq/" + qos;
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", V31, "-q", "2", "-t", topic)) {
            Mosquitto.pubOk(port, "-V", V31, "-q", Integer.toString(qos), "-t", topic, "-f",
                    Payloads.allBytesFile().toString());
            Mosquitto.Received r = sub.next();
            assertEquals(topic, r.topic());
            assertEquals(qos, r.qos());
            assertFalse(r.retain());
            assertArrayEquals(Payloads.allBytes(), r.payload());
        }
    }

    @Test
    @DisplayName("a retained message from mosquitto_pub 3.1 reaches a late mosquitto_sub 3.1 with RETAIN set")
    void mosquittoRetained() throws Exception {
        String topic = "v31/retained";
        Mosquitto.pubOk(port, "-V", V31, "-r", "-q", "1", "-t", topic, "-m", "kept");
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", V31, "-q", "1", "-t", topic)) {
            Mosquitto.Received r = sub.next();
            assertEquals("kept", r.text());
            assertTrue(r.retain());
            assertEquals(1, r.qos());
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("Paho v3 with MQTT_VERSION_3_1 publishes and subscribes at every QoS, to a 3.1.1 peer too")
    void pahoAtEveryQos(int qos) throws Exception {
        String topic = "v31/paho/" + qos;
        MqttConnectOptions v31 = PahoV3.options(true);
        v31.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        try (PahoV3 sub = PahoV3.connect(tcpUri(), "p31-sub", v31);
             PahoV3 pub = PahoV3.connect(tcpUri(), "p31-pub", v31);
             PahoV3 sub311 = PahoV3.connect(tcpUri(), "p311-sub", PahoV3.options(true))) {
            assertEquals(qos, sub.subscribe(topic, qos));
            assertEquals(2, sub311.subscribe(topic, 2));
            pub.publish(topic, Payloads.allBytes(), qos, false);
            for (PahoV3 s : new PahoV3[] {sub, sub311}) {
                PahoV3.Received r = s.next();
                assertEquals(topic, r.topic());
                assertEquals(qos, r.message().getQos());
                assertArrayEquals(Payloads.allBytes(), r.message().getPayload());
            }
        }
    }
}
