package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.interop.ZzqClients.next;
import static zzq.interop.ZzqClients.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ConnectRefusedException;
import zzq.engine.ConnectResult;
import zzq.engine.MonitorEvent;
import zzq.engine.PublishResult;
import zzq.engine.ReconnectPolicy;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/** The zzq client against a real Mosquitto, in 3.1.1 and 5.0: connect, subscribe, publish, retain, will. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientBasicsTest {
    @RegisterExtension
    final MosquittoBroker mosquitto = new MosquittoBroker();

    /** A client of this version connected to Mosquitto, its id {@code name-version}. */
    private Client connect(MqttVersion version, String name) {
        return Client.connect(mosquitto.url(), options(version, name + "-" + version).build());
    }

    @BothVersions
    @DisplayName("connects: CONNACK accepted, a new session, the version and client id in the result (MQTT-3.2.2)")
    void connects(MqttVersion version) {
        mosquitto.start();
        try (Client c = connect(version, "basics")) {
            assertTrue(c.isConnected());
            assertEquals("basics-" + version, c.clientId());
        }
        if (version.isV5()) {
            // an empty client id: Mosquitto assigns one and says so (MQTT-3.2.2-16)
            Client c = Client.create(options(version, "").build());
            try (c) {
                ConnectResult r = c.connect(mosquitto.url());
                assertFalse(r.sessionPresent());
                assertEquals(MqttVersion.V5, r.version());
                assertTrue(r.clientId().startsWith("auto-"), r.clientId());
                assertEquals(r.clientId(), c.clientId());
            }
        }
    }

    @BothVersions
    @DisplayName("a refused CONNECT fails connect() with Mosquitto's reason code, and the client does not retry"
            + " (MQTT-3.2.2-6; Mosquitto answers 0x87 / 3.1.1 return code 5 to anonymous and bad passwords alike)")
    void refusalCarriesTheReasonCode(MqttVersion version) throws Exception {
        Path pw = Files.createTempFile("zzq-mosquitto", ".pw");
        try {
            Mosquitto.require(Mosquitto.PASSWD);
            assertEquals(0, Mosquitto.run(List.of(Mosquitto.PASSWD, "-b", pw.toString(), "alice", "secret"))
                    .exit());
            mosquitto.start(MosquittoBroker.config().set("allow_anonymous", "false")
                    .set("password_file", pw));
            ZzqClients.Events events = new ZzqClients.Events();
            Client anonymous = Client.create(options(version, "anon").build());
            anonymous.onMonitorEvent(events);
            try (anonymous) {
                ConnectRefusedException e = assertThrows(ConnectRefusedException.class,
                        () -> anonymous.connect(mosquitto.url()));
                assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode(), e.getMessage());
                assertFalse(anonymous.isConnected());
            }
            assertEquals(0, events.count(MonitorEvent.ConnectRetried.class), "a refusal is final: " + events);
            ConnectRefusedException wrong = assertThrows(ConnectRefusedException.class, () -> Client.connect(
                    mosquitto.url(), options(version, "wrong").username("alice").password("nope").build()));
            assertEquals(ReasonCode.NOT_AUTHORIZED, wrong.reasonCode(), wrong.getMessage());
            try (Client ok = Client.connect(mosquitto.url(), options(version, "right").username("alice")
                    .password("secret").build())) {
                assertTrue(ok.isConnected());
            }
        } finally {
            Files.deleteIfExists(pw);
        }
    }

    @BothVersions
    @DisplayName("SUBACK grants each filter's QoS; UNSUBACK answers each filter and the messages stop"
            + " (MQTT-3.9.3, MQTT-3.11.3)")
    void subscribeAndUnsubscribe(MqttVersion version) throws Exception {
        mosquitto.start();
        try (Client c = connect(version, "subs")) {
            Subscription s = c.subscribe(SubscribeRequest.builder().filter("s/0", QoS.AT_MOST_ONCE)
                    .filter("s/1", QoS.AT_LEAST_ONCE).filter("s/2/#", QoS.EXACTLY_ONCE).build());
            assertEquals(List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2),
                    s.results());
            assertEquals(List.of("s/0", "s/1", "s/2/#"), s.filters());
            Subscription probe = c.subscribe("probe", QoS.AT_LEAST_ONCE);

            assertEquals(List.of(ReasonCode.SUCCESS), c.unsubscribe("s/1"));
            assertTrue(s.isActive(), "two of its filters remain");
            c.publish("s/1", "gone".getBytes(), QoS.AT_LEAST_ONCE, false);
            c.publish("s/2/x", "still".getBytes(), QoS.AT_LEAST_ONCE, false);
            ApplicationMessage m = next(s);
            assertEquals("s/2/x", m.topic(), "the unsubscribed filter no longer matches");

            assertEquals(List.of(ReasonCode.SUCCESS, ReasonCode.SUCCESS), s.unsubscribe());
            assertFalse(s.isActive());
            c.publish("s/0", "gone".getBytes(), QoS.AT_LEAST_ONCE, false);
            c.publish("probe", "last".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals("probe", next(probe).topic());
            assertEquals(null, s.receive(Duration.ZERO), "nothing after UNSUBACK");
            if (version.isV5()) {
                assertEquals(List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), c.unsubscribe("never/subscribed"),
                        "MQTT-3.11.3: 0x11 for a filter that had no subscription");
            }
        }
    }

    @BothVersions
    @DisplayName("QoS 0, 1 and 2 make the round trip byte-exact, at the lower of published and granted QoS"
            + " (MQTT-3.3.4-1, MQTT-3.8.4-8)")
    void roundTripAtEveryQos(MqttVersion version) throws Exception {
        mosquitto.start();
        try (Client sub = connect(version, "rt-sub");
             Client pub = connect(version, "rt-pub")) {
            Subscription all = sub.subscribe("rt/all/#", QoS.EXACTLY_ONCE);
            Subscription one = sub.subscribe("rt/one/#", QoS.AT_LEAST_ONCE);
            for (QoS q : QoS.values()) {
                PublishResult r = pub.publish("rt/all/" + q.value(), Payloads.allBytes(), q, false);
                assertEquals(ReasonCode.SUCCESS, r.reasonCode());
                ApplicationMessage m = next(all);
                assertEquals("rt/all/" + q.value(), m.topic());
                assertEquals(q, m.qos());
                assertFalse(m.retain());
                assertFalse(m.dup());
                assertArrayEquals(Payloads.allBytes(), m.payloadAsBytes());

                pub.publish("rt/one/" + q.value(), new byte[] {(byte) q.value()}, q, false);
                ApplicationMessage down = next(one);
                assertEquals(q == QoS.EXACTLY_ONCE ? QoS.AT_LEAST_ONCE : q, down.qos(), "granted QoS 1 caps it");
            }
            if (version.isV5()) {
                PublishResult nobody = pub.publish("rt/nobody", "x".getBytes(), QoS.AT_LEAST_ONCE, false);
                assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, nobody.reasonCode(), "PUBACK 0x10");
            }
        }
    }

    @BothVersions
    @DisplayName("200 QoS 1 and 2 publishes made at once all arrive, QoS 2 once: the client keeps within"
            + " Mosquitto's window (max_inflight_messages 20), which 3.1.1 cannot announce and which Mosquitto"
            + " enforces by acknowledging the excess and dropping it")
    void pipelinedPublishesAllArrive(MqttVersion version) throws Exception {
        mosquitto.start();
        int n = 200;
        try (Client sub = connect(version, "pipe-sub");
             Client pub = connect(version, "pipe-pub")) {
            List<NumberedStreams.Stream> streams = NumberedStreams.subscribeBoth(sub, "pipe");
            NumberedStreams.Stream one = streams.get(0);
            NumberedStreams.Stream two = streams.get(1);
            List<CompletableFuture<PublishResult>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (NumberedStreams.Stream s : streams) {
                    sent.add(pub.publishAsync(ApplicationMessage.builder(s.topic).payload(Integer.toString(i))
                            .qos(s.qos).build()));
                }
            }
            CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                    .get(ZzqClients.WAIT.toSeconds(), TimeUnit.SECONDS);
            pub.publish(one.topic, Integer.toString(n).getBytes(), one.qos, false);
            pub.publish(two.topic, Integer.toString(n).getBytes(), two.qos, false);
            ZzqClients.await(() -> "the last messages: " + one + ", " + two, () -> one.reached(n) && two.reached(n));
            // not in order: with max_inflight_messages above 1, Mosquitto does not keep it (its manual says so)
            one.assertComplete(0, n + 1);
            two.assertComplete(0, n + 1);
        }
    }

    @BothVersions
    @DisplayName("a retained message reaches a later subscriber with RETAIN set, a live one without; an empty"
            + " payload deletes it (MQTT-3.3.1-5, -9, -10, -12)")
    void retained(MqttVersion version) throws Exception {
        mosquitto.start();
        // the subscribers are separate clients: Mosquitto sends a client one copy per matching subscription
        try (Client pub = connect(version, "ret-pub");
             Client liveSub = connect(version, "ret-live")) {
            Subscription live = liveSub.subscribe("ret/#", QoS.AT_LEAST_ONCE);
            pub.publish("ret/a", "kept".getBytes(), QoS.AT_LEAST_ONCE, true);
            ApplicationMessage l = next(live);
            assertEquals("kept", l.payloadAsString());
            assertFalse(l.retain(), "a live delivery clears RETAIN");

            try (Client laterSub = connect(version, "ret-later")) {
                ApplicationMessage r = next(laterSub.subscribe("ret/a", QoS.AT_LEAST_ONCE));
                assertEquals("kept", r.payloadAsString());
                assertTrue(r.retain());
                assertEquals(QoS.AT_LEAST_ONCE, r.qos());
            }
            pub.publish("ret/a", new byte[0], QoS.AT_LEAST_ONCE, true);
            assertEquals(0, next(live).payloadSize());
            pub.publish("ret/probe", "probe".getBytes(), QoS.AT_LEAST_ONCE, true);
            try (Client afterSub = connect(version, "ret-after")) {
                Subscription after = afterSub.subscribe(SubscribeRequest.builder()
                        .filter("ret/a", QoS.AT_LEAST_ONCE).filter("ret/probe", QoS.AT_LEAST_ONCE).build());
                assertEquals("ret/probe", next(after).topic(), "the deleted retained message is gone");
                ZzqClients.assertNoMessage(after, Duration.ofMillis(200));
            }
        }
    }

    @Test
    @DisplayName("5.0 DISCONNECT 0x04 makes Mosquitto publish the will; a normal DISCONNECT discards it"
            + " (MQTT-3.14.4-3, MQTT-3.1.2-10)")
    void willOnDisconnectWithWill() throws Exception {
        mosquitto.start();
        try (Client watcher = Client.connect(mosquitto.url(), options(MqttVersion.V5, "will-watch").build())) {
            Subscription wills = watcher.subscribe("will/#", QoS.AT_LEAST_ONCE);
            Client quiet = Client.connect(mosquitto.url(), options(MqttVersion.V5, "will-quiet")
                    .will(will("will/quiet")).build());
            quiet.disconnect();
            quiet.close();
            Client leaving = Client.connect(mosquitto.url(), options(MqttVersion.V5, "will-04")
                    .will(will("will/04")).willDelay(0).build());
            leaving.disconnectWithWill();
            leaving.close();
            ApplicationMessage w = next(wills);
            assertEquals("will/04", w.topic(), "the normal disconnect's will was discarded, this one was sent");
            assertEquals("gone", w.payloadAsString());
            assertEquals(QoS.AT_LEAST_ONCE, w.qos());
        }
    }

    @BothVersions
    @DisplayName("a connection lost without DISCONNECT (the network cut) makes Mosquitto publish the will"
            + " (MQTT-3.1.2-8), and the client reconnects by itself")
    void willWhenTheLinkIsCut(MqttVersion version) throws Exception {
        mosquitto.start();
        try (Client watcher = connect(version, "cut-watch");
             RecordingRelay relay = new RecordingRelay(mosquitto.port())) {
            Subscription wills = watcher.subscribe("will/#", QoS.AT_LEAST_ONCE);
            ZzqClients.Events events = new ZzqClients.Events();
            Client victim = Client.create(options(version, "cut-" + version).will(will("will/cut")).build());
            victim.onMonitorEvent(events);
            try (victim) {
                victim.connect("mqtt://127.0.0.1:" + relay.port());
                relay.cut();
                ApplicationMessage w = next(wills);
                assertEquals("will/cut", w.topic());
                assertEquals("gone", w.payloadAsString());
                events.await(MonitorEvent.Disconnected.class, 1);
                events.await(MonitorEvent.ConnectRetried.class, 1);
                events.await(MonitorEvent.Connected.class, 2); // through the relay again
                assertTrue(victim.isConnected());
            }
        }
    }

    @BothVersions
    @DisplayName("a takeover of the client id ends the older client's connection and Mosquitto publishes its will"
            + " (MQTT-3.1.4-3; Mosquitto 2.0.11 closes without DISCONNECT 0x8E even in 5.0)")
    void takeover(MqttVersion version) throws Exception {
        mosquitto.start();
        try (Client watcher = Client.connect(mosquitto.url(), options(version, "to-watch").build())) {
            Subscription wills = watcher.subscribe("will/#", QoS.AT_LEAST_ONCE);
            ZzqClients.Events events = new ZzqClients.Events();
            // without a reason code the old client cannot tell a takeover from a network failure: with
            // reconnect on it would take the id back, as mosquitto_sub does
            Client first = Client.create(options(version, "same-id").will(will("will/first"))
                    .reconnect(ReconnectPolicy.NEVER).build());
            first.onMonitorEvent(events);
            try (first) {
                first.connect(mosquitto.url());
                try (Client second = Client.connect(mosquitto.url(), options(version, "same-id").build())) {
                    events.await(MonitorEvent.Disconnected.class, 1);
                    MonitorEvent.Disconnected d = events.all(MonitorEvent.Disconnected.class).get(0);
                    assertTrue(d.byPeer(), d.toString());
                    ApplicationMessage w = next(wills);
                    assertEquals("will/first", w.topic());
                    assertTrue(second.isConnected());
                    assertFalse(first.isConnected());
                }
            }
        }
    }

    private static ApplicationMessage will(String topic) {
        return ApplicationMessage.builder(topic).payload("gone").qos(QoS.AT_LEAST_ONCE).build();
    }
}
