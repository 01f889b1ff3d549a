package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;

/**
 * Wills: a raw socket connects with a will and then drops, or leaves with DISCONNECT; {@code mosquitto_sub} (3.1.1
 * and 5.0) and Paho v5 subscribers watch the will topic.
 */
class WillInteropTest extends BrokerFixture {

    private static Connect connect(MqttVersion version, String clientId, boolean cleanStart, Will will,
                                   Properties connectProperties) {
        return new Connect(version, clientId, cleanStart, 60, null, null, will, connectProperties);
    }

    private static Will will(String topic, String payload, QoS qos, boolean retain, Properties properties) {
        return new Will(topic, BinaryData.of(payload.getBytes(StandardCharsets.UTF_8)), qos, retain, properties);
    }

    private static Connect connectWithWill(MqttVersion version, String clientId, String topic) {
        return connect(version, clientId, true, will(topic, "gone", QoS.AT_LEAST_ONCE, false, Properties.EMPTY),
                Properties.EMPTY);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a connection lost without DISCONNECT publishes the will (MQTT-3.1.2-8)")
    void abruptCloseSendsWill(MqttVersion version) throws Exception {
        String topic = "will/" + version;
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", Mosquitto.version(version), "-q", "1", "-t", topic);
             PahoV5 paho = PahoV5.connect(tcpUri(), "will-watcher", PahoV5.options())) {
            assertEquals(1, paho.subscribe(topic, 1));
            RawMqttSocket.connect(port, connectWithWill(version, "dies", topic)).kill();
            Mosquitto.Received r = sub.next();
            assertEquals("gone", r.text());
            assertEquals(1, r.qos());
            assertFalse(r.retain());
            assertEquals("gone", new String(paho.next().message().getPayload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("5.0 will properties (content type, user properties, correlation data) reach Paho v5 unchanged,"
            + " and a retained will is kept (MQTT-3.1.3-9, MQTT-3.1.2-17)")
    void willPropertiesAndRetain() throws Exception {
        String topic = "will/props";
        Properties props = Properties.builder()
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.CORRELATION_DATA, BinaryData.of(new byte[] {9, 8, 7}))
                .add(new UserProperty("who", "raw"))
                .build();
        Will will = will(topic, "bye", QoS.EXACTLY_ONCE, true, props);
        try (PahoV5 paho = PahoV5.connect(tcpUri(), "props-watcher", PahoV5.options())) {
            assertEquals(2, paho.subscribe(topic, 2));
            RawMqttSocket.connect(port, connect(MqttVersion.V5, "dies5", true, will, Properties.EMPTY)).kill();
            org.eclipse.paho.mqttv5.common.MqttMessage m = paho.next().message();
            assertEquals("bye", new String(m.getPayload(), StandardCharsets.UTF_8));
            assertEquals(2, m.getQos());
            assertEquals("text/plain", m.getProperties().getContentType());
            assertArrayEquals(new byte[] {9, 8, 7}, m.getProperties().getCorrelationData());
            assertEquals("who=raw", m.getProperties().getUserProperties().get(0).getKey() + "="
                    + m.getProperties().getUserProperties().get(0).getValue());
        }
        try (Mosquitto.Sub late = Mosquitto.sub(port, "-V", "mqttv5", "-q", "2", "-t", topic)) {
            Mosquitto.Received r = late.next();
            assertEquals("bye", r.text());
            assertTrue(r.retain(), "the will was retained");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a normal DISCONNECT discards the will (MQTT-3.1.2-10, MQTT-3.14.4-3)")
    void disconnectDiscardsWill(MqttVersion version) throws Exception {
        String topic = "will/kept/" + version;
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", Mosquitto.version(version), "-q", "1", "-t", topic)) {
            CountDownLatch gone = disconnectOf("leaves");
            RawMqttSocket.connect(port, connectWithWill(version, "leaves", topic)).disconnect();
            await(gone, "the broker to end the connection");
            Mosquitto.pubOk(port, "-q", "1", "-t", topic, "-m", "after");
            assertEquals("after", sub.next().text(), "no will was published");
        }
    }

    private static Connect v5WithDelayedWill(String clientId, String topic, long willDelay, long sessionExpiry) {
        return connect(MqttVersion.V5, clientId, false,
                will(topic, "late", QoS.AT_LEAST_ONCE, false,
                        Properties.builder().add(PropertyId.WILL_DELAY_INTERVAL, willDelay).build()),
                Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, sessionExpiry).build());
    }

    @Test
    @DisplayName("5.0: a session resumed within the Will Delay Interval cancels the will (MQTT-3.1.3-9)")
    void resumedSessionCancelsDelayedWill() throws Exception {
        String topic = "will/delayed";
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", "mqttv5", "-q", "1", "-t", topic)) {
            CountDownLatch gone = disconnectOf("comes-back");
            RawMqttSocket.connect(port, v5WithDelayedWill("comes-back", topic, 300, 600)).kill();
            await(gone, "the broker to see the connection lost");
            RawMqttSocket.connect(port, v5WithDelayedWill("comes-back", topic, 300, 600)).disconnect();
            Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m", "marker");
            assertEquals("marker", sub.next().text(), "the will was not published");
        }
    }

    @Test
    @DisplayName("5.0: a will is published when the session ends, even before its Will Delay Interval"
            + " (MQTT-3.1.2-8, 3.1.3.2.2)")
    void sessionEndPublishesDelayedWill() throws Exception {
        String topic = "will/session-end";
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", "mqttv5", "-q", "1", "-t", topic)) {
            RawMqttSocket.connect(port, v5WithDelayedWill("short-session", topic, 300, 0)).kill();
            assertEquals("late", sub.next().text());
        }
    }
}
