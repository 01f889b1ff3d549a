package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retained messages set, replaced and deleted by {@code mosquitto_pub -r}, seen by late {@code mosquitto_sub} and
 * HiveMQ subscribers. "Nothing retained" is proven by order: a live message published after subscribing must be
 * the first to arrive.
 */
class RetainedInteropTest extends BrokerFixture {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName("the newest retained message reaches a late subscriber with RETAIN set (MQTT-3.3.1-5, -6, -9)")
    void replacedRetainedReachesLateSubscriber(String version) throws Exception {
        String topic = "retained/" + version;
        Mosquitto.pubOk(port, "-V", version, "-r", "-q", "1", "-t", topic, "-m", "first");
        Mosquitto.pubOk(port, "-V", version, "-r", "-q", "1", "-t", topic, "-m", "second");
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", version, "-q", "1", "-t", topic)) {
            Mosquitto.Received r = sub.next();
            assertEquals("second", r.text());
            assertTrue(r.retain(), "a retained message sent on subscribe has RETAIN set");
            assertEquals(1, r.qos());
            Mosquitto.pubOk(port, "-V", version, "-q", "1", "-t", topic, "-m", "live");
            Mosquitto.Received live = sub.next();
            assertEquals("live", live.text(), "only one retained message per topic");
            assertFalse(live.retain(), "a message for an existing subscription has RETAIN clear (MQTT-3.3.1-9)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName("an empty retained message deletes the retained one (MQTT-3.3.1-10, -11)")
    void emptyRetainedDeletes(String version) throws Exception {
        String topic = "retained/deleted/" + version;
        Mosquitto.pubOk(port, "-V", version, "-r", "-t", topic, "-m", "gone soon");
        Mosquitto.pubOk(port, "-V", version, "-r", "-t", topic, "-n");
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-V", version, "-t", topic)) {
            Mosquitto.pubOk(port, "-V", version, "-t", topic, "-m", "live");
            assertEquals("live", sub.next().text(), "no retained message is left");
        }
    }

    @Test
    @DisplayName("HiveMQ v5 with Retain Handling 2 gets no retained message; with 0 it does (MQTT-3.3.1-10)")
    void retainHandlingDoNotSend() throws Exception {
        String topic = "retained/handling";
        Mosquitto.pubOk(port, "-V", "mqttv5", "-r", "-q", "1", "-t", topic, "-m", "kept");
        Mqtt5BlockingClient c = HiveMq.v5Blocking(port, "rh");
        c.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(HiveMq.bytes("live")).send();
            Mqtt5Publish first = HiveMq.receive(in);
            assertEquals("live", HiveMq.text(first), "Retain Handling 2 sends no retained message");
            assertFalse(first.isRetain());

            c.subscribeWith().topicFilter(topic + "/+").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND).send();
            // nothing retained under topic/+: again proven by order
            c.publishWith().topic(topic + "/x").qos(MqttQos.AT_LEAST_ONCE).payload(HiveMq.bytes("x")).send();
            assertEquals("x", HiveMq.text(HiveMq.receive(in)));
        } finally {
            c.disconnect();
        }
        Mqtt5BlockingClient late = HiveMq.v5Blocking(port, "rh0");
        late.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND).send();
            Mqtt5Publish r = HiveMq.receive(in);
            assertEquals("kept", HiveMq.text(r), "the retained message is still there");
            assertTrue(r.isRetain());
        } finally {
            late.disconnect();
        }
    }
}
