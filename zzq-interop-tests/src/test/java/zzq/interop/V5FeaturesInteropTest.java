package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 features between HiveMQ and Paho v5 peers through the broker. */
class V5FeaturesInteropTest extends BrokerFixture {

    @Test
    @DisplayName("user properties (in order), content type, response topic, correlation data and payload format"
            + " are forwarded unchanged (MQTT-3.3.2-4, -15, -16, -17, -18, -20)")
    void publishPropertiesForwarded() throws Exception {
        String topic = "v5/props";
        byte[] correlation = {0, 1, 2, (byte) 0xFF, 42};
        try (PahoV5 paho = PahoV5.connect(tcpUri(), "props-paho", PahoV5.options())) {
            assertEquals(1, paho.subscribe(topic, 1));
            Mqtt5BlockingClient hive = HiveMq.v5Blocking(port, "props-hive");
            hive.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes in = hive.publishes(MqttGlobalPublishFilter.ALL)) {
                hive.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).noLocal(false).send();
                hive.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(HiveMq.bytes("{\"a\":1}"))
                        .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                        .contentType("application/json")
                        .responseTopic("v5/replies")
                        .correlationData(correlation)
                        .userProperties(Mqtt5UserProperties.builder().add("k", "v1").add("k", "v2")
                                .add("other", "x").build())
                        .send();
                Mqtt5Publish h = HiveMq.receive(in);
                assertEquals("application/json", h.getContentType().orElseThrow().toString());
                assertEquals("v5/replies", h.getResponseTopic().orElseThrow().toString());
                ByteBuffer cd = h.getCorrelationData().orElseThrow();
                byte[] cdBytes = new byte[cd.remaining()];
                cd.get(cdBytes);
                assertArrayEquals(correlation, cdBytes);
                assertEquals(Mqtt5PayloadFormatIndicator.UTF_8, h.getPayloadFormatIndicator().orElseThrow());
                assertEquals(List.of("k=v1", "k=v2", "other=x"), h.getUserProperties().asList().stream()
                        .map(p -> p.getName() + "=" + p.getValue()).toList());
            } finally {
                hive.disconnect();
            }
            MqttMessage m = paho.next().message();
            MqttProperties p = m.getProperties();
            assertEquals("application/json", p.getContentType());
            assertEquals("v5/replies", p.getResponseTopic());
            assertArrayEquals(correlation, p.getCorrelationData());
            assertEquals(List.of("k=v1", "k=v2", "other=x"), p.getUserProperties().stream()
                    .map(u -> u.getKey() + "=" + u.getValue()).toList());
            assertEquals("{\"a\":1}", new String(m.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("a queued message's expiry interval is forwarded reduced by its waiting time (MQTT-3.3.2-6)")
    void messageExpiryForwarded() throws Exception {
        String topic = "v5/expiry";
        Mqtt5BlockingClient sub = HiveMq.leaveSubscribed(port, "expiry-sub", topic);
        try (PahoV5 pub = PahoV5.connect(tcpUri(), "expiry-pub", PahoV5.options())) {
            MqttMessage m = new MqttMessage(HiveMq.bytes("expires"));
            m.setQos(1);
            MqttProperties props = new MqttProperties();
            props.setMessageExpiryInterval(120L);
            m.setProperties(props);
            pub.publish(topic, m);
            MqttMessage none = new MqttMessage(HiveMq.bytes("forever"));
            none.setQos(1);
            pub.publish(topic, none);
        }
        try (Mqtt5BlockingClient.Mqtt5Publishes in = HiveMq.resume(sub)) {
            Mqtt5Publish e = HiveMq.receive(in);
            assertEquals("expires", HiveMq.text(e));
            long left = e.getMessageExpiryInterval().orElseThrow();
            assertTrue(left > 0 && left <= 120, "expiry " + left);
            Mqtt5Publish f = HiveMq.receive(in);
            assertEquals("forever", HiveMq.text(f));
            assertTrue(f.getMessageExpiryInterval().isEmpty(), "no expiry added");
        } finally {
            sub.disconnect();
        }
    }

    @Test
    @DisplayName("a queued message whose expiry interval has passed is not delivered (MQTT-3.3.2-5)")
    void expiredMessageDropped() throws Exception {
        String topic = "v5/expired";
        Mqtt5BlockingClient sub = HiveMq.leaveSubscribed(port, "expired-sub", topic);
        Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m", "short-lived",
                "-D", "publish", "message-expiry-interval", "1");
        // pubOk returned after the PUBACK, so the broker took the message (and started its one-second lifetime)
        // before now: the subject is the clock, so wait until that lifetime has surely passed
        awaitClockPast(System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
        Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", topic, "-m", "marker");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = HiveMq.resume(sub)) {
            assertEquals("marker", HiveMq.text(HiveMq.receive(in)));
        } finally {
            sub.disconnect();
        }
    }

    @Test
    @DisplayName("Retain As Published keeps RETAIN on live messages for HiveMQ v5; without it RETAIN is cleared"
            + " (MQTT-3.3.1-12, -13)")
    void retainAsPublished() throws Exception {
        Mqtt5BlockingClient c = HiveMq.v5Blocking(port, "rap");
        c.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("rap/kept").qos(MqttQos.AT_LEAST_ONCE).retainAsPublished(true).send();
            c.subscribeWith().topicFilter("rap/cleared").qos(MqttQos.AT_LEAST_ONCE).send();
            Mosquitto.pubOk(port, "-V", "mqttv5", "-r", "-q", "1", "-t", "rap/kept", "-m", "k");
            Mosquitto.pubOk(port, "-V", "mqttv5", "-r", "-q", "1", "-t", "rap/cleared", "-m", "c");
            Mqtt5Publish kept = HiveMq.receive(in);
            assertEquals("rap/kept", kept.getTopic().toString());
            assertTrue(kept.isRetain());
            Mqtt5Publish cleared = HiveMq.receive(in);
            assertEquals("rap/cleared", cleared.getTopic().toString());
            assertFalse(cleared.isRetain());
        } finally {
            c.disconnect();
        }
    }

    @Test
    @DisplayName("Paho v5 receives the subscription identifiers of every matching subscription (MQTT-3.3.4-3, -4)")
    void subscriptionIdentifiers() throws Exception {
        try (PahoV5 paho = PahoV5.connect(tcpUri(), "sid", PahoV5.options())) {
            MqttProperties seven = new MqttProperties();
            seven.setSubscriptionIdentifier(7);
            assertEquals(1, paho.subscribe(new MqttSubscription("sid/+", 1), seven));
            MqttProperties big = new MqttProperties();
            big.setSubscriptionIdentifier(268_435_455); // the largest Variable Byte Integer
            assertEquals(1, paho.subscribe(new MqttSubscription("sid/#", 1), big));
            assertEquals(0, paho.subscribe(new MqttSubscription("none/#", 0), new MqttProperties()));
            Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", "sid/a", "-m", "both");
            Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", "none/a", "-m", "none");
            Set<Integer> ids = new HashSet<>();
            for (PahoV5.Received r = paho.next(); !r.topic().equals("none/a"); r = paho.next()) {
                assertEquals("sid/a", r.topic());
                ids.addAll(r.message().getProperties().getSubscriptionIdentifiers());
            }
            assertEquals(Set.of(7, 268_435_455), ids);
        }
        // the last message ("none/a") came without identifier: checked by a fresh client
        try (PahoV5 plain = PahoV5.connect(tcpUri(), "sid-plain", PahoV5.options())) {
            assertEquals(0, plain.subscribe("plain", 0));
            Mosquitto.pubOk(port, "-V", "mqttv5", "-t", "plain", "-m", "x");
            List<Integer> got = plain.next().message().getProperties().getSubscriptionIdentifiers();
            assertTrue(got == null || got.isEmpty(), "no identifier on a subscription without one: " + got);
        }
    }

    @Test
    @DisplayName("No Local: Paho v5 does not get its own messages, but others' (MQTT-3.8.3-3)")
    void noLocal() throws Exception {
        try (PahoV5 paho = PahoV5.connect(tcpUri(), "nolocal", PahoV5.options())) {
            MqttSubscription s = new MqttSubscription("nl/t", 1);
            s.setNoLocal(true);
            assertEquals(1, paho.subscribe(s, new MqttProperties()));
            paho.publish("nl/t", HiveMq.bytes("mine"), 1);
            Mosquitto.pubOk(port, "-V", "mqttv5", "-q", "1", "-t", "nl/t", "-m", "theirs");
            assertEquals("theirs", new String(paho.next().message().getPayload(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    @DisplayName("$share/g/t: two HiveMQ members share the messages, each delivered exactly once (4.8.2)")
    void sharedSubscription() throws Exception {
        int n = 40;
        Mqtt5BlockingClient a = HiveMq.v5Blocking(port, "share-a");
        Mqtt5BlockingClient b = HiveMq.v5Blocking(port, "share-b");
        a.connect();
        b.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inA = a.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes inB = b.publishes(MqttGlobalPublishFilter.ALL)) {
            for (Mqtt5BlockingClient c : List.of(a, b)) {
                c.subscribeWith().topicFilter("$share/g/sh/t").qos(MqttQos.AT_LEAST_ONCE).send();
                c.subscribeWith().topicFilter("sh/end").qos(MqttQos.AT_LEAST_ONCE).send();
            }
            try (PahoV5 pub = PahoV5.connect(tcpUri(), "share-pub", PahoV5.options())) {
                for (int i = 0; i < n; i++) {
                    pub.publish("sh/t", HiveMq.bytes("m" + i), 1);
                }
                pub.publish("sh/end", HiveMq.bytes("end"), 1);
            }
            List<String> got = new ArrayList<>();
            for (Mqtt5BlockingClient.Mqtt5Publishes in : List.of(inA, inB)) {
                for (Mqtt5Publish p = HiveMq.receive(in); !p.getTopic().toString().equals("sh/end");
                        p = HiveMq.receive(in)) {
                    assertEquals("sh/t", p.getTopic().toString());
                    got.add(HiveMq.text(p));
                }
            }
            assertEquals(n, got.size(), "each message to exactly one member: " + got);
            assertEquals(n, new HashSet<>(got).size(), "no duplicates: " + got);
        } finally {
            a.disconnect();
            b.disconnect();
        }
    }

    @Test
    @DisplayName("a HiveMQ v5 publisher really uses topic aliases, and every message arrives on its own topic"
            + " (MQTT-3.3.2-12, 3.3.4)")
    void topicAliasesFromHiveMq() throws Exception {
        String a = "alias/a/long/topic/name";
        String b = "alias/b/long/topic/name";
        int n = 6;
        try (PahoV5 paho = PahoV5.connect(tcpUri(), "alias-sub", PahoV5.options());
             RecordingRelay relay = new RecordingRelay(port)) {
            assertEquals(1, paho.subscribe("alias/#", 1));
            Mqtt5BlockingClient hive = HiveMq.v5(relay.port(), "alias-pub").buildBlocking();
            hive.connectWith().restrictions().sendTopicAliasMaximum(5).applyRestrictions().send();
            try {
                for (int i = 0; i < n; i++) {
                    hive.publishWith().topic(i % 2 == 0 ? a : b).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(HiveMq.bytes("p" + i)).send();
                }
            } finally {
                hive.disconnect();
            }
            for (int i = 0; i < n; i++) {
                PahoV5.Received r = paho.next();
                assertEquals(i % 2 == 0 ? a : b, r.topic());
                assertEquals("p" + i, new String(r.message().getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                assertNull(r.message().getProperties().getTopicAlias(), "the broker sends no alias unasked");
            }
            // with aliases each topic name goes on the wire once, not n / 2 times
            assertEquals(1, relay.occurrencesFromClient(a), "HiveMQ sent topic a by alias");
            assertEquals(1, relay.occurrencesFromClient(b), "HiveMQ sent topic b by alias");
        }
    }
}
