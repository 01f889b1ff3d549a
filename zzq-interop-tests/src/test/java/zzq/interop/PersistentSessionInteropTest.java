package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sessions that outlive their connection: Paho 3.1.1 with clean session off, HiveMQ 5.0 with a session expiry;
 * messages published while they are away are queued and delivered on return. "Nothing queued" is proven by order.
 */
class PersistentSessionInteropTest extends BrokerFixture {

    @Test
    @DisplayName("Paho v3 cleanSession=false: Session Present, and QoS 1 messages published while away arrive"
            + " (MQTT-3.1.2-4, -5, MQTT-3.2.2-2)")
    void pahoV3QueuedWhileAway() throws Exception {
        String topic = "session/v3";
        try (PahoV3 first = PahoV3.connect(tcpUri(), "persistent3", PahoV3.options(false))) {
            assertFalse(first.sessionPresent(), "a new session");
            assertEquals(1, first.subscribe(topic, 1));
        }
        for (int i = 0; i < 3; i++) {
            Mosquitto.pubOk(port, "-q", "1", "-t", topic, "-m", "m" + i);
        }
        try (PahoV3 again = PahoV3.connect(tcpUri(), "persistent3", PahoV3.options(false))) {
            assertTrue(again.sessionPresent(), "the session was kept");
            for (int i = 0; i < 3; i++) {
                PahoV3.Received r = again.next();
                assertEquals(topic, r.topic());
                assertEquals("m" + i, new String(r.message().getPayload()), "in order");
                assertEquals(1, r.message().getQos());
            }
        }
        try (PahoV3 clean = PahoV3.connect(tcpUri(), "persistent3", PahoV3.options(true))) {
            assertFalse(clean.sessionPresent(), "clean session discards the old one (MQTT-3.2.2-1)");
            assertEquals(1, clean.subscribe(topic + "/probe", 1));
            Mosquitto.pubOk(port, "-q", "1", "-t", topic, "-m", "after clean");
            Mosquitto.pubOk(port, "-q", "1", "-t", topic + "/probe", "-m", "probe");
            assertEquals(topic + "/probe", clean.next().topic(), "the old subscription is gone");
        }
    }

    @Test
    @DisplayName("HiveMQ v5 session expiry: Session Present and queued messages; Clean Start: none"
            + " (MQTT-3.1.2-4, -5, -23, MQTT-3.2.2-2)")
    void hiveMqSessionExpiry() throws Exception {
        String topic = "session/v5";
        Mqtt5BlockingClient sub = HiveMq.v5Blocking(port, "persistent5");
        Mqtt5ConnAck ack = sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        assertFalse(ack.isSessionPresent());
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        sub.disconnect();

        Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "2", "-t", topic, "-m", "while away 1");
        Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m", "while away 2");

        Mqtt5BlockingClient back = HiveMq.v5Blocking(port, "persistent5");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = back.publishes(MqttGlobalPublishFilter.ALL)) {
            ack = back.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
            assertTrue(ack.isSessionPresent(), "the session was kept");
            assertEquals("while away 1", HiveMq.text(HiveMq.receive(in)));
            assertEquals("while away 2", HiveMq.text(HiveMq.receive(in)));
        } finally {
            back.disconnect();
        }

        Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m", "not for a clean start");
        Mqtt5BlockingClient clean = HiveMq.v5Blocking(port, "persistent5");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = clean.publishes(MqttGlobalPublishFilter.ALL)) {
            ack = clean.connectWith().cleanStart(true).send();
            assertFalse(ack.isSessionPresent(), "Clean Start discards the session");
            clean.subscribeWith().topicFilter(topic + "/probe").qos(MqttQos.AT_LEAST_ONCE).send();
            clean.publishWith().topic(topic + "/probe").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(HiveMq.bytes("probe")).send();
            assertEquals("probe", HiveMq.text(HiveMq.receive(in)), "nothing queued");
        } finally {
            clean.disconnect();
        }
    }

    @Test
    @DisplayName("HiveMQ changing Session Expiry to 0 on DISCONNECT ends a session that had 300 s:"
            + " Session Present false on return (MQTT-3.14.2-2, 3.1.2.11.2)")
    void sessionExpiryChangedOnDisconnect() throws Exception {
        String id = "expiry-changed";
        java.util.concurrent.CountDownLatch gone = disconnectOf(id);
        Mqtt5BlockingClient c = HiveMq.v5Blocking(port, id);
        c.connectWith().sessionExpiryInterval(300).send();
        c.subscribeWith().topicFilter("expiry/changed").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnectWith().sessionExpiryInterval(0).send();
        await(gone, "the broker to end the connection");
        Mqtt5ConnAck ack = c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        try {
            assertFalse(ack.isSessionPresent(), "the session ended with the connection");
        } finally {
            c.disconnect();
        }
    }
}
