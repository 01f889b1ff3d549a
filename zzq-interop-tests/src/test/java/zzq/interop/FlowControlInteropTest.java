package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Many messages in flight at once, both windows in use; and a big payload. */
class FlowControlInteropTest extends BrokerFixture {

    @Test
    @DisplayName("a HiveMQ burst of QoS 2 and 1 messages reaches a Paho v5 subscriber with Receive Maximum 5,"
            + " complete and in order (MQTT-3.3.4-9, 4.6, 4.9)")
    void burstThroughBothWindows() throws Exception {
        int n = 300;
        MqttConnectionOptions small = PahoV5.options();
        small.setReceiveMaximum(5);
        try (PahoV5 sub = PahoV5.connect(tcpUri(), "burst-sub", small)) {
            assertEquals(2, sub.subscribe("burst", 2));
            Mqtt5AsyncClient pub = HiveMq.v5(port, "burst-pub").buildAsync();
            pub.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
            try {
                List<CompletableFuture<Mqtt5PublishResult>> sent = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    sent.add(pub.publishWith().topic("burst").qos(i % 3 == 0 ? MqttQos.AT_LEAST_ONCE
                            : MqttQos.EXACTLY_ONCE).payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send());
                }
                CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                for (int i = 0; i < n; i++) {
                    PahoV5.Received r = sub.next();
                    assertEquals("m" + i, new String(r.message().getPayload(), StandardCharsets.UTF_8));
                    assertEquals(i % 3 == 0 ? 1 : 2, r.message().getQos());
                }
            } finally {
                pub.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @DisplayName("a 900 KB payload goes from mosquitto_pub (5.0) to Paho v3 byte-exact")
    void bigPayload() throws Exception {
        byte[] big = new byte[900 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 8));
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("zzq-big", ".bin");
        try (PahoV3 sub = PahoV3.connect(tcpUri(), "big-sub", PahoV3.options(true))) {
            java.nio.file.Files.write(file, big);
            assertEquals(1, sub.subscribe("big", 1));
            Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", "big", "-f", file.toString());
            assertArrayEquals(big, sub.next().message().getPayload());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
