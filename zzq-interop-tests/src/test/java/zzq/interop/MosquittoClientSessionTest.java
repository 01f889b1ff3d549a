package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.interop.ZzqClients.next;
import static zzq.interop.ZzqClients.options;
import static zzq.interop.ZzqClients.persistent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.ConnectResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * Persistent sessions of the zzq client on a real Mosquitto: a new {@code Client} instance resumes the session
 * an earlier one left, and gets what was queued meanwhile through {@link Client#unmatchedMessages()}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientSessionTest {
    @RegisterExtension
    final MosquittoBroker mosquitto = new MosquittoBroker();

    @BothVersions
    @DisplayName("a new client instance resumes the session: Session Present, and the QoS 1 and 2 messages queued"
            + " while it was away arrive in order through unmatchedMessages() (MQTT-3.1.2-4, -5, MQTT-3.2.2-2)")
    void newInstanceResumesTheSession(MqttVersion version) throws Exception {
        mosquitto.start();
        String id = "resume-" + version;
        try (Client first = Client.connect(mosquitto.url(), persistent(version, id))) {
            first.subscribe(SubscribeRequest.builder().filter("q/1", QoS.AT_LEAST_ONCE)
                    .filter("q/2", QoS.EXACTLY_ONCE).filter("q/0", QoS.AT_MOST_ONCE).build());
            first.disconnect();
        }
        try (Client pub = Client.connect(mosquitto.url(), options(version, "resume-pub-" + version).build())) {
            for (int i = 0; i < 10; i++) {
                pub.publish("q/" + (1 + i % 2), Integer.toString(i).getBytes(), QoS.of(1 + i % 2), false);
            }
            pub.publish("q/0", "not queued".getBytes(), QoS.AT_MOST_ONCE, false);
        }
        Client again = Client.create(persistent(version, id));
        try (again) {
            Subscription queued = again.unmatchedMessages();
            ConnectResult r = again.connect(mosquitto.url());
            assertTrue(r.sessionPresent(), "Session Present");
            for (int i = 0; i < 10; i++) {
                ApplicationMessage m = next(queued);
                assertEquals(Integer.toString(i), m.payloadAsString(), "in order");
                assertEquals("q/" + (1 + i % 2), m.topic());
                assertEquals(QoS.of(1 + i % 2), m.qos());
            }
            ZzqClients.assertNoMessage(queued, Duration.ofMillis(200)); // QoS 0 is not queued by default
            // the resumed subscription still routes live messages, to the unmatched inbox until subscribed again
            Subscription live = again.subscribe("q/1", QoS.AT_LEAST_ONCE);
            again.publish("q/1", "live".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals("live", next(live).payloadAsString());
        }
    }

    @Test
    @DisplayName("without unmatchedMessages(), a resumed session's queued messages are acknowledged, counted and"
            + " dropped: Mosquitto does not send them again")
    void unmatchedAreDroppedAndCounted() throws Exception {
        mosquitto.start();
        try (Client first = Client.connect(mosquitto.url(), persistent(MqttVersion.V5, "drop"))) {
            first.subscribe("d", QoS.AT_LEAST_ONCE);
            first.disconnect();
        }
        try (Client pub = Client.connect(mosquitto.url(), options(MqttVersion.V5, "drop-pub").build())) {
            for (int i = 0; i < 3; i++) {
                pub.publish("d", new byte[] {(byte) i}, QoS.AT_LEAST_ONCE, false);
            }
        }
        try (Client again = Client.connect(mosquitto.url(), persistent(MqttVersion.V5, "drop"))) {
            ZzqClients.await("3 dropped", () -> again.unmatchedDropped() == 3);
            again.disconnect();
        }
        Client third = Client.create(persistent(MqttVersion.V5, "drop"));
        try (third) {
            Subscription inbox = third.unmatchedMessages();
            assertTrue(third.connect(mosquitto.url()).sessionPresent());
            third.publish("d", "probe".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals("probe", next(inbox).payloadAsString(), "the dropped ones were acknowledged before");
        }
    }

    @BothVersions
    @DisplayName("a clean start discards the stored session: no Session Present, nothing queued"
            + " (MQTT-3.1.2-4, MQTT-3.2.2-1); in 5.0 a session expiry of 0 ends it at the disconnect")
    void cleanStartDiscards(MqttVersion version) throws Exception {
        mosquitto.start();
        String id = "clean-" + version;
        // 5.0: resuming is asked for, but the session ends with the connection; 3.1.1: kept, then cleaned
        ClientOptions before = version.isV5() ? options(version, id).cleanStart(false).sessionExpiry(0).build()
                : persistent(version, id);
        ClientOptions after = version.isV5() ? before : options(version, id).cleanStart(true).build();
        try (Client first = Client.connect(mosquitto.url(), before)) {
            first.subscribe("c", QoS.AT_LEAST_ONCE);
            first.disconnect();
        }
        try (Client pub = Client.connect(mosquitto.url(), options(version, "clean-pub-" + version).build())) {
            pub.publish("c", "lost".getBytes(), QoS.AT_LEAST_ONCE, false);
        }
        Client again = Client.create(after);
        try (again) {
            Subscription inbox = again.unmatchedMessages();
            assertFalse(again.connect(mosquitto.url()).sessionPresent());
            Subscription probe = again.subscribe("c/probe", QoS.AT_LEAST_ONCE);
            again.publish("c/probe", "probe".getBytes(), QoS.AT_LEAST_ONCE, false);
            assertEquals("probe", next(probe).payloadAsString());
            ZzqClients.assertNoMessage(inbox, Duration.ZERO);
        }
    }
}
