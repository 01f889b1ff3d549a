package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.interop.ZzqClients.next;
import static zzq.interop.ZzqClients.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Publish;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ConnectResult;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * The zzq client's MQTT 5.0 features against a real Mosquitto: properties, subscription identifiers, No Local,
 * and the broker's limits from CONNACK (Receive Maximum, Maximum Packet Size, Topic Alias Maximum, Server Keep
 * Alive), the limits checked on the wire through a {@link RecordingRelay}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientV5Test {
    @RegisterExtension
    final MosquittoBroker mosquitto = new MosquittoBroker();

    private Client connect(String clientId) {
        return Client.connect(mosquitto.url(), options(MqttVersion.V5, clientId).build());
    }

    @Test
    @DisplayName("User Properties (in order, repeated names kept) and the other PUBLISH properties reach the"
            + " subscriber as published (MQTT-3.3.2-17, -18, MQTT-3.3.2-20)")
    void publishProperties() throws Exception {
        mosquitto.start();
        try (Client sub = connect("props-sub"); Client pub = connect("props-pub")) {
            Subscription s = sub.subscribe("props", QoS.AT_LEAST_ONCE);
            Properties sent = Properties.builder().userProperty("k", "1").userProperty("a", "x")
                    .userProperty("k", "2").add(PropertyId.CONTENT_TYPE, "text/plain")
                    .add(PropertyId.RESPONSE_TOPIC, "props/reply")
                    .add(PropertyId.CORRELATION_DATA, BinaryData.of(new byte[] {0, 1, (byte) 0xFF}))
                    .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1).add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 600)
                    .build();
            pub.publish(ApplicationMessage.builder("props").payload("p").qos(QoS.AT_LEAST_ONCE).properties(sent)
                    .build());
            Properties got = next(s).properties();
            assertEquals(List.of(new UserProperty("k", "1"), new UserProperty("a", "x"), new UserProperty("k", "2")),
                    got.userProperties());
            assertEquals("text/plain", got.string(PropertyId.CONTENT_TYPE).orElseThrow());
            assertEquals("props/reply", got.string(PropertyId.RESPONSE_TOPIC).orElseThrow());
            assertArrayEquals(new byte[] {0, 1, (byte) 0xFF},
                    got.binary(PropertyId.CORRELATION_DATA).orElseThrow().toByteArray());
            assertEquals(1, got.integerOr(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0));
            long expiry = got.integerOr(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
            assertTrue(expiry > 590 && expiry <= 600, "the remaining expiry: " + expiry);
        }
    }

    @Test
    @DisplayName("a message carries the Subscription Identifier of the subscription it matched (MQTT-3.3.4-3)")
    void subscriptionIdentifiers() throws Exception {
        mosquitto.start();
        try (Client sub = connect("sid-sub"); Client pub = connect("sid-pub")) {
            Subscription seven = sub.subscribe(SubscribeRequest.builder().filter("sid/a/#", QoS.AT_LEAST_ONCE)
                    .identifier(7).build());
            Subscription nine = sub.subscribe(SubscribeRequest.builder().filter("sid/b", QoS.AT_LEAST_ONCE)
                    .identifier(9).userProperty("why", "test").build());
            Subscription none = sub.subscribe("sid/c", QoS.AT_LEAST_ONCE);
            pub.publish("sid/a/x", "a".getBytes(), QoS.AT_LEAST_ONCE, false);
            pub.publish("sid/b", "b".getBytes(), QoS.AT_LEAST_ONCE, false);
            pub.publish("sid/c", "c".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals(List.of(7), next(seven).properties().subscriptionIdentifiers());
            assertEquals(List.of(9), next(nine).properties().subscriptionIdentifiers());
            assertEquals(List.of(), next(none).properties().subscriptionIdentifiers());
        }
    }

    @Test
    @DisplayName("No Local: the client's own publications do not come back; another client's do (MQTT-3.8.3-3)")
    void noLocal() throws Exception {
        mosquitto.start();
        try (Client self = connect("nl-self"); Client other = connect("nl-other")) {
            Subscription mine = self.subscribe(SubscribeRequest.builder().filter("nl/#",
                    new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, false,
                            RetainHandling.SEND_ON_SUBSCRIBE)).build());
            Subscription echo = other.subscribe("nl/#", QoS.AT_LEAST_ONCE);
            self.publish("nl/own", "own".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals("nl/own", next(echo).topic(), "without No Local a client gets its own messages");
            other.publish("nl/other", "other".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals("nl/other", next(mine).topic(), "its own message was not delivered before this one");
            assertEquals("nl/other", next(echo).topic());
        }
    }

    @Test
    @DisplayName("topic aliases: the client sends a topic once with an alias, then the alias and an empty topic;"
            + " Mosquitto resolves it (MQTT-3.3.2-12, section 3.3.2.3.4)")
    void topicAliases() throws Exception {
        mosquitto.start(MosquittoBroker.config().set("max_topic_alias", 1));
        String topic = "alias/a/rather/long/topic/name";
        int n = 5;
        try (Client sub = connect("alias-sub"); RecordingRelay relay = new RecordingRelay(mosquitto.port())) {
            Subscription s = sub.subscribe("alias/#", QoS.AT_LEAST_ONCE);
            try (Client pub = Client.connect("mqtt://127.0.0.1:" + relay.port(),
                    options(MqttVersion.V5, "alias-pub").build())) {
                for (int i = 0; i < n; i++) {
                    pub.publish(topic, ("m" + i).getBytes(), QoS.AT_LEAST_ONCE, false);
                    pub.publish("alias/other", ("o" + i).getBytes(), QoS.AT_MOST_ONCE, false);
                }
                for (int i = 0; i < n; i++) {
                    ApplicationMessage m = next(s);
                    assertEquals(topic, m.topic());
                    assertEquals("m" + i, m.payloadAsString());
                    assertTrue(m.properties().integer(PropertyId.TOPIC_ALIAS).isEmpty(), "aliases stay inside");
                    assertEquals("alias/other", next(s).topic());
                }
            }
            List<String> topics = new ArrayList<>();
            List<Long> aliases = new ArrayList<>();
            for (RecordingRelay.Packet p : relay.timeline()) {
                if (p.fromClient() && p.type() == 3) {
                    Publish publish = (Publish) p.decode(MqttVersion.V5);
                    publish.payload().release();
                    topics.add(publish.topic());
                    aliases.add(publish.properties().integerOr(PropertyId.TOPIC_ALIAS, 0));
                }
            }
            // Mosquitto's Topic Alias Maximum 1: the first topic gets alias 1, the second none
            assertEquals(List.of(topic, "alias/other", "", "alias/other", "", "alias/other", "", "alias/other", "",
                    "alias/other"), topics);
            assertEquals(List.of(1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L), aliases);
            assertEquals(1, relay.occurrencesFromClient(topic), "the long topic crossed the wire once");
        }
    }

    @Test
    @DisplayName("Receive Maximum: with max_inflight_messages 2, Mosquitto says 2 in CONNACK and the client never"
            + " has more than 2 QoS 1/2 PUBLISHes unacknowledged on the wire (MQTT-4.9.0-2)")
    void receiveMaximum() throws Exception {
        mosquitto.start(MosquittoBroker.config().set("max_inflight_messages", 2));
        int n = 200;
        try (Client sub = connect("rm-sub"); RecordingRelay relay = new RecordingRelay(mosquitto.port())) {
            Subscription s = sub.subscribe("rm/#", QoS.EXACTLY_ONCE);
            Client pub = Client.create(options(MqttVersion.V5, "rm-pub").build());
            try (pub) {
                ConnectResult r = pub.connect("mqtt://127.0.0.1:" + relay.port());
                assertEquals(2, r.properties().integerOr(PropertyId.RECEIVE_MAXIMUM, 65_535));
                List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    QoS q = i % 3 == 0 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE;
                    sent.add(pub.publishAsync(ApplicationMessage.builder("rm/" + q.value())
                            .payload(Integer.toString(i)).qos(q).build()));
                }
                CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
                // complete, not in order: Mosquitto keeps order only with max_inflight_messages 1 (its manual)
                BitSet seen = new BitSet();
                for (int i = 0; i < n; i++) {
                    seen.set(Integer.parseInt(next(s).payloadAsString()));
                }
                assertEquals(n, seen.cardinality());
            }
            assertEquals(2, maxUnacknowledged(relay.timeline()),
                    "at most 2, and the client does fill the window");
        }
    }

    @Test
    @DisplayName("a QoS 2 subscriber that takes its messages late stays connected although Mosquitto sends more"
            + " than its Receive Maximum (it frees a slot at PUBREC, not PUBCOMP); every message arrives once")
    void toleratesMosquittosReceiveMaximumOvershoot() throws Exception {
        mosquitto.start();
        int window = 10;
        int n = 6 * window;
        ZzqClients.Events events = new ZzqClients.Events();
        try (Client pub = connect("win-pub")) {
            Client sub = Client.create(options(MqttVersion.V5, "win-sub").receiveMaximum(window).build());
            sub.onMonitorEvent(events);
            try (sub) {
                sub.connect(mosquitto.url());
                Subscription s = sub.subscribe("win", QoS.EXACTLY_ONCE);
                for (int i = 0; i < n; i++) {
                    pub.publish("win", Integer.toString(i).getBytes(), QoS.EXACTLY_ONCE, false);
                }
                ZzqClients.await("a full window", () -> s.buffered() >= window);
                // each once, in any order: Mosquitto keeps order only with max_inflight_messages 1 (its manual)
                BitSet seen = new BitSet();
                for (int i = 0; i < n; i++) {
                    int m = Integer.parseInt(next(s).payloadAsString());
                    assertFalse(seen.get(m), "twice: " + m);
                    seen.set(m);
                }
                ZzqClients.assertNoMessage(s, Duration.ofMillis(200));
                assertEquals(0, events.count(MonitorEvent.Disconnected.class), events.toString());
            }
        }
    }

    /** The most QoS 1 and 2 PUBLISHes from the client unacknowledged at once, as the relay saw them. */
    private static int maxUnacknowledged(List<RecordingRelay.Packet> timeline) {
        Set<Integer> open = new HashSet<>();
        int max = 0;
        int publishes = 0;
        for (RecordingRelay.Packet p : timeline) {
            if (p.fromClient() && p.type() == 3 && p.qos() > 0) {
                publishes++;
                open.add(p.packetId());
                max = Math.max(max, open.size());
            } else if (!p.fromClient() && (p.type() == 4 || p.type() == 7)) {
                open.remove(p.packetId()); // PUBACK, PUBCOMP
            }
        }
        assertTrue(publishes > 0, "no PUBLISH recorded");
        return max;
    }

    @Test
    @DisplayName("Maximum Packet Size: a PUBLISH larger than Mosquitto's max_packet_size fails locally with 0x95"
            + " and the connection stays; one that fits exactly goes (MQTT-3.1.2-24)")
    void maximumPacketSize() throws Exception {
        int max = 1000;
        mosquitto.start(MosquittoBroker.config().set("max_packet_size", max));
        ZzqClients.Events events = new ZzqClients.Events();
        try (Client sub = connect("mps-sub")) {
            Subscription s = sub.subscribe("mps/#", QoS.AT_LEAST_ONCE);
            Client pub = Client.create(options(MqttVersion.V5, "mps-pub").build());
            pub.onMonitorEvent(events);
            try (pub) {
                ConnectResult r = pub.connect(mosquitto.url());
                assertEquals(max, r.properties().integerOr(PropertyId.MAXIMUM_PACKET_SIZE, 0));
                for (QoS q : List.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE)) {
                    MqttClientException e = assertThrows(MqttClientException.class,
                            () -> pub.publish("mps/big", new byte[2 * max], q, false));
                    assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode(), e.getMessage());
                }
                // 'mps/x' QoS 1: fixed header 3, topic 2 + 5, packet id 2, property length 1: 13 bytes + payload;
                // the first PUBLISH of a topic would also carry a new Topic Alias (3 bytes)
                byte[] fits = new byte[max - 13];
                pub.publish("mps/x", fits, QoS.AT_LEAST_ONCE, false);
                assertEquals(fits.length, next(s).payloadSize());
                pub.publish("mps/x", fits, QoS.AT_LEAST_ONCE, false);
                assertEquals(fits.length, next(s).payloadSize());
                MqttClientException over = assertThrows(MqttClientException.class,
                        () -> pub.publish("mps/y", new byte[max - 12], QoS.AT_LEAST_ONCE, false));
                assertEquals(ReasonCode.PACKET_TOO_LARGE, over.reasonCode());
                pub.publish("mps/small", "ok".getBytes(), QoS.AT_LEAST_ONCE, false);
                assertEquals("mps/small", next(s).topic());
                assertTrue(pub.isConnected());
                assertEquals(0, events.count(MonitorEvent.Disconnected.class), events.toString());
            }
        }
    }

    @Test
    @DisplayName("Server Keep Alive: Mosquitto's max_keepalive 10 overrides the client's 60, and the idle client"
            + " pings within 10 s (MQTT-3.2.2-21)")
    void serverKeepAlive() throws Exception {
        mosquitto.start(MosquittoBroker.config().set("max_keepalive", 10));
        try (RecordingRelay relay = new RecordingRelay(mosquitto.port())) {
            Client c = Client.create(options(MqttVersion.V5, "ska").keepAlive(60).build());
            try (c) {
                ConnectResult r = c.connect("mqtt://127.0.0.1:" + relay.port());
                assertEquals(10, r.properties().integerOr(PropertyId.SERVER_KEEP_ALIVE, 0));
                long idleSince = System.nanoTime();
                ZzqClients.await("a PINGREQ", () -> relay.timeline().stream()
                        .anyMatch(p -> p.fromClient() && p.type() == 12));
                long idle = System.nanoTime() - idleSince;
                assertTrue(idle <= Duration.ofSeconds(10).toNanos(), "pinged after " + idle / 1_000_000 + " ms");
                ZzqClients.await("a PINGRESP", () -> relay.timeline().stream()
                        .anyMatch(p -> !p.fromClient() && p.type() == 13));
                assertTrue(c.isConnected());
            }
        }
    }
}
