package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.assertPending;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.failure;
import static zzq.engine.client.ClientTests.options;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;

/** What a publish's future promises at each QoS, and how the broker's refusals and limits surface. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PublishTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static ApplicationMessage message(String topic, QoS qos) {
        return ApplicationMessage.builder(topic).payload("m").qos(qos).build();
    }

    private static Properties reason(String text) {
        return Properties.builder().add(PropertyId.REASON_STRING, text).build();
    }

    @Test
    @DisplayName("QoS 0 completes once written, QoS 1 on PUBACK, QoS 2 on PUBCOMP with the PUBREC's result")
    void futuresCompleteAsPromised() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        PublishResult q0 = done(client.publishAsync(message("q/0", QoS.AT_MOST_ONCE)));
        assertEquals(ReasonCode.SUCCESS, q0.reasonCode());
        Publish p0 = c.expect(Publish.class);
        assertEquals(QoS.AT_MOST_ONCE, p0.qos());
        assertEquals(0, p0.packetId());

        CompletableFuture<PublishResult> q1 = client.publishAsync(message("q/1", QoS.AT_LEAST_ONCE));
        Publish p1 = c.expect(Publish.class);
        assertEquals(QoS.AT_LEAST_ONCE, p1.qos());
        assertFalse(p1.dup());
        assertPending(q1); // no PUBACK yet
        c.send(new Puback(p1.packetId(), ReasonCode.NO_MATCHING_SUBSCRIBERS, reason("nobody listens")));
        PublishResult r1 = done(q1);
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, r1.reasonCode(), "0x10 is a success");
        assertEquals("nobody listens", r1.reasonString());

        CompletableFuture<PublishResult> q2 = client.publishAsync(message("q/2", QoS.EXACTLY_ONCE));
        Publish p2 = c.expect(Publish.class);
        assertEquals(QoS.EXACTLY_ONCE, p2.qos());
        c.send(new Pubrec(p2.packetId(), ReasonCode.SUCCESS, reason("got it")));
        assertEquals(p2.packetId(), c.expect(Pubrel.class).packetId(), "MQTT-4.3.3-5: PUBREL answers PUBREC");
        assertPending(q2); // PUBREC is not the end of a QoS 2 exchange
        c.send(new Pubcomp(p2.packetId()));
        PublishResult r2 = done(q2);
        assertEquals(ReasonCode.SUCCESS, r2.reasonCode());
        assertEquals("got it", r2.reasonString(), "the PUBREC's properties");
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("PUBCOMP 0x92 after a re-sent PUBREL (the broker finished before a restart) completes the publish"
            + " with the PUBREC's result: not an error during recovery (section 3.7.2.1)")
    void pubcompIdentifierNotFoundAfterPubrecIsASuccess() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<PublishResult> q2 = client.publishAsync(message("q/2", QoS.EXACTLY_ONCE));
        Publish p2 = c.expect(Publish.class);
        c.send(new Pubrec(p2.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        c.expect(Pubrel.class);
        c.send(new Pubcomp(p2.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, done(q2).reasonCode());
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("a refusal in PUBACK or PUBREC fails the publish with its code and Reason String; no PUBREL")
    void refusalFailsWithCodeAndReason() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<PublishResult> q1 = client.publishAsync(message("q/1", QoS.AT_LEAST_ONCE));
        c.send(new Puback(c.expect(Publish.class).packetId(), ReasonCode.QUOTA_EXCEEDED, reason("slow down")));
        MqttClientException e1 = failure(q1);
        assertEquals(ReasonCode.QUOTA_EXCEEDED, e1.reasonCode());
        assertEquals("slow down", e1.reasonString());

        CompletableFuture<PublishResult> q2 = client.publishAsync(message("q/2", QoS.EXACTLY_ONCE));
        c.send(new Pubrec(c.expect(Publish.class).packetId(), ReasonCode.NOT_AUTHORIZED, reason("no")));
        MqttClientException e2 = failure(q2);
        assertEquals(ReasonCode.NOT_AUTHORIZED, e2.reasonCode());
        assertEquals("no", e2.reasonString());
        c.assertSilent(QUIET); // MQTT-4.3.3: a PUBREC >= 0x80 ends the exchange; no PUBREL
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("the zzq broker's ACL refusal (0x87) fails the blocking publish at QoS 1 and 2; QoS 0 is silent")
    void zzqBrokerAclRefusal() {
        Endpoint at = broker.start(BrokerOptions.builder().authorizer(ClientTests.denying("secret/", null)).build());
        try (Client client = Client.connect(at.toString(), options().build())) {
            for (QoS q : new QoS[] {QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE}) {
                MqttClientException e = assertThrows(MqttClientException.class,
                        () -> client.publish("secret/x", "m".getBytes(StandardCharsets.UTF_8), q, false));
                assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode(), "QoS " + q);
            }
            assertEquals(ReasonCode.SUCCESS, client.publish("secret/x", new byte[1], QoS.AT_MOST_ONCE, false)
                    .reasonCode(), "a QoS 0 publish has no acknowledgement to refuse it");
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS,
                    client.publish("open/x", new byte[1], QoS.AT_LEAST_ONCE, false).reasonCode());
        }
    }

    @Test
    @DisplayName("larger than the broker's Maximum Packet Size → 0x95 without sending (MQTT-3.1.2-24)")
    void maximumPacketSize() throws Exception {
        Properties limit = Properties.builder().add(PropertyId.MAXIMUM_PACKET_SIZE, 100).build();
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, limit);
        for (QoS q : QoS.values()) {
            ApplicationMessage big = ApplicationMessage.builder("big").payload(new byte[200]).qos(q).build();
            MqttClientException e = failure(client.publishAsync(big));
            assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode(), "QoS " + q);
        }
        // exactly at the limit still goes: 1 + 1 (fixed header) + 2 + 3 (topic) + 2 (id) + 1 (no properties)
        // + 90 = 100 bytes
        ApplicationMessage fits = ApplicationMessage.builder("big").payload(new byte[90])
                .qos(QoS.AT_LEAST_ONCE).build();
        CompletableFuture<PublishResult> ok = client.publishAsync(fits);
        Publish p = c.expect(Publish.class);
        assertEquals(90, p.payload().readableBytes(), "nothing of the refused ones was sent");
        c.send(new Puback(p.packetId()));
        done(ok);
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("the broker's Maximum QoS and Retain Available are honoured: 0x9B / 0x9A without sending")
    void maximumQosAndRetainAvailable() throws Exception {
        Properties limits = Properties.builder().add(PropertyId.MAXIMUM_QOS, 1)
                .add(PropertyId.RETAIN_AVAILABLE, 0).build();
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, limits);
        MqttClientException qos = failure(client.publishAsync(message("t", QoS.EXACTLY_ONCE)));
        assertEquals(ReasonCode.QOS_NOT_SUPPORTED, qos.reasonCode(), "MQTT-3.2.2-11");
        MqttClientException retain = failure(client.publishAsync(
                ApplicationMessage.builder("t").payload("r").retain(true).build()));
        assertEquals(ReasonCode.RETAIN_NOT_SUPPORTED, retain.reasonCode(), "MQTT-3.2.2-14");

        CompletableFuture<PublishResult> ok = client.publishAsync(message("t", QoS.AT_LEAST_ONCE));
        Publish p = c.expect(Publish.class);
        assertEquals(QoS.AT_LEAST_ONCE, p.qos(), "the first packet the broker sees is the allowed one");
        assertFalse(p.retain());
        c.send(new Puback(p.packetId()));
        done(ok);
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("properties travel: PUBLISH carries the message's 5.0 properties as set")
    void propertiesOnTheWire() throws Exception {
        Client client = fake.client(options().topicAliasMaximum(0).build());
        FakeBroker.Conn c = fake.connect(client);
        Properties props = Properties.builder().add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.RESPONSE_TOPIC, "reply/here").userProperty("u", "1").build();
        done(client.publishAsync(ApplicationMessage.builder("p/t").payload("x").properties(props).build()));
        Publish p = c.expect(Publish.class);
        assertEquals(props, p.properties());
    }
}
