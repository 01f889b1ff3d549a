package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Paho 3.1.1 ↔ zzq ↔ Paho 5.0, both directions, at every QoS. */
class PahoQosTest extends BrokerFixture {

    @ParameterizedTest(name = "Paho v3 publishes at QoS {0}, Paho v5 subscribed at {1}, receives at {2}")
    @CsvSource({"0, 2, 0", "1, 2, 1", "2, 2, 2", "2, 1, 1", "2, 0, 0", "1, 0, 0"})
    @DisplayName("3.1.1 publisher to 5.0 subscriber: byte-exact, QoS min(published, granted) (MQTT-3.8.4-8)")
    void v3ToV5(int pubQos, int subQos, int expectedQos) throws Exception {
        String topic = "paho/v3to5/" + pubQos + subQos;
        try (PahoV5 sub = PahoV5.connect(tcpUri(), "sub5", PahoV5.options());
             PahoV3 pub = PahoV3.connect(tcpUri(), "pub3", PahoV3.options(true))) {
            assertEquals(subQos, sub.subscribe(topic, subQos));
            pub.publish(topic, Payloads.allBytes(), pubQos, false);
            PahoV5.Received r = sub.next();
            assertEquals(topic, r.topic());
            assertEquals(expectedQos, r.message().getQos());
            assertFalse(r.message().isRetained());
            assertArrayEquals(Payloads.allBytes(), r.message().getPayload());
        }
    }

    @ParameterizedTest(name = "Paho v5 publishes at QoS {0}, Paho v3 subscribed at {1}, receives at {2}")
    @CsvSource({"0, 2, 0", "1, 2, 1", "2, 2, 2", "2, 1, 1", "1, 0, 0"})
    @DisplayName("5.0 publisher to 3.1.1 subscriber: byte-exact, QoS min(published, granted) (MQTT-3.8.4-8)")
    void v5ToV3(int pubQos, int subQos, int expectedQos) throws Exception {
        String topic = "paho/v5to3/" + pubQos + subQos;
        try (PahoV3 sub = PahoV3.connect(tcpUri(), "sub3", PahoV3.options(true));
             PahoV5 pub = PahoV5.connect(tcpUri(), "pub5", PahoV5.options())) {
            assertEquals(subQos, sub.subscribe(topic, subQos));
            pub.publish(topic, Payloads.allBytes(), pubQos);
            PahoV3.Received r = sub.next();
            assertEquals(topic, r.topic());
            assertEquals(expectedQos, r.message().getQos());
            assertArrayEquals(Payloads.allBytes(), r.message().getPayload());
        }
    }
}
