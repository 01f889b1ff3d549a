package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.failure;
import static zzq.engine.client.ClientTests.options;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.Clients;
import zzq.engine.PublishResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * What a reconnect carries over (MQTT 5.0 section 4.4): with the session resumed, unacknowledged PUBLISHes again
 * with DUP and their identifiers, PUBREL for QoS 2 past PUBREC, and the received messages' acknowledgements;
 * with the session lost, the subscriptions again and the publishes afresh.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionResumeTest {
    private static ApplicationMessage message(String topic, QoS qos, int size) {
        return ApplicationMessage.builder(topic).payload(new byte[size]).qos(qos).build();
    }

    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    /** A client with a session that outlives connections. */
    private Client client() {
        return fake.client(options().clientId("s").sessionExpiry(300).build());
    }

    /** Drops the link; the reconnect's CONNACK says whether the broker kept the session. */
    private FakeBroker.Conn reconnect(FakeBroker.Conn old, boolean sessionPresent, Properties connack)
            throws Exception {
        old.close();
        FakeBroker.Conn c = fake.acceptSession(sessionPresent, connack);
        assertFalse(c.connect().cleanStart(), "resuming");
        return c;
    }

    @Test
    @DisplayName("unacknowledged QoS 1 is re-sent with DUP and the same packet identifier, before newer ones"
            + " (MQTT-4.4.0-1, MQTT-3.3.1-1)")
    void qos1ResentWithDup() throws Exception {
        Client client = client();
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<PublishResult> f = client.publishAsync(message("a", QoS.AT_LEAST_ONCE, 3));
        Publish first = link.expect(Publish.class);
        assertFalse(first.dup());
        link.close();
        Clients.awaitTrue(() -> !client.isConnected(), WAIT, "the client noticed");
        CompletableFuture<PublishResult> later = client.publishAsync(message("b", QoS.AT_LEAST_ONCE, 1));
        FakeBroker.Conn c = fake.acceptSession(true, Properties.EMPTY);
        Publish again = c.expect(Publish.class);
        assertTrue(again.dup());
        assertEquals(first.packetId(), again.packetId());
        assertEquals("a", again.topic());
        assertEquals(3, again.payload().readableBytes());
        Publish newer = c.expect(Publish.class);
        assertEquals("b", newer.topic());
        assertFalse(newer.dup());
        c.send(new Puback(again.packetId()));
        c.send(new Puback(newer.packetId()));
        done(f);
        done(later);
    }

    @Test
    @DisplayName("QoS 2 before PUBREC: PUBLISH again with DUP; after PUBREC: PUBREL again, not PUBLISH (MQTT-4.4.0-1)")
    void qos2ResumedInItsPhase() throws Exception {
        Client client = client();
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<PublishResult> released = client.publishAsync(message("rel", QoS.EXACTLY_ONCE, 1));
        Publish p1 = link.expect(Publish.class);
        link.send(new Pubrec(p1.packetId()));
        assertEquals(p1.packetId(), link.expect(Pubrel.class).packetId());
        CompletableFuture<PublishResult> published = client.publishAsync(message("pub", QoS.EXACTLY_ONCE, 1));
        Publish p2 = link.expect(Publish.class);

        FakeBroker.Conn c = reconnect(link, true, Properties.EMPTY);
        assertEquals(p1.packetId(), c.expect(Pubrel.class).packetId(), "PUBREL re-sent for the PUBREC'd one");
        Publish again = c.expect(Publish.class);
        assertEquals("pub", again.topic());
        assertEquals(p2.packetId(), again.packetId());
        assertTrue(again.dup());
        c.assertSilent(QUIET); // "rel" is not published again
        c.send(new Pubcomp(p1.packetId()));
        c.send(new Pubrec(p2.packetId()));
        assertEquals(p2.packetId(), c.expect(Pubrel.class).packetId());
        c.send(new Pubcomp(p2.packetId()));
        done(released);
        done(published);
    }

    @Test
    @DisplayName("session lost (session present 0): subscriptions restored, in-flight publishes re-sent as new")
    void sessionLost() throws Exception {
        Client client = client();
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<Subscription> subscribing = client.subscribeAsync(SubscribeRequest.builder()
                .filter("keep/#", QoS.AT_LEAST_ONCE).identifier(5).build());
        Subscribe sub = link.expect(Subscribe.class);
        link.send(new Suback(sub.packetId(), List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        Subscription s = done(subscribing);
        CompletableFuture<PublishResult> q1 = client.publishAsync(message("q1", QoS.AT_LEAST_ONCE, 1));
        link.expect(Publish.class);
        CompletableFuture<PublishResult> q2 = client.publishAsync(message("q2", QoS.EXACTLY_ONCE, 1));
        Publish p2 = link.expect(Publish.class);
        link.send(new Pubrec(p2.packetId(), ReasonCode.SUCCESS,
                Properties.builder().add(PropertyId.REASON_STRING, "stored").build()));
        link.expect(Pubrel.class);
        link.send(FakeBroker.Conn.publish("keep/x", "held", QoS.AT_LEAST_ONCE, 77, false,
                Properties.EMPTY));
        Clients.awaitTrue(() -> s.buffered() == 1, WAIT, "a message arrived and is held");

        FakeBroker.Conn c = reconnect(link, false, Properties.EMPTY);
        Subscribe again = c.expect(Subscribe.class);
        assertEquals("keep/#", again.subscriptions().get(0).filter());
        assertEquals(QoS.AT_LEAST_ONCE, again.subscriptions().get(0).options().qos());
        assertEquals(5, again.properties().integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER, -1));
        Publish fresh = c.expect(Publish.class);
        assertEquals("q1", fresh.topic());
        assertFalse(fresh.dup(), "a new session: a new message, not a re-delivery");
        c.send(new Suback(again.packetId(), List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        c.send(new Puback(fresh.packetId()));
        done(q1);
        assertEquals("stored", done(q2).reasonString(), "PUBREC'd QoS 2 counts as delivered");
        assertEquals("held", s.receive(WAIT).payloadAsString());
        c.assertSilent(QUIET); // nothing to acknowledge: id 77 belonged to the lost session
        assertTrue(s.isActive());
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("a received message held across a resumed link: the re-send is not delivered again; taken → PUBACK")
    void inboundHeldAcrossReconnect() throws Exception {
        Client client = client();
        FakeBroker.Conn link = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, link, "in/#", QoS.AT_LEAST_ONCE);
        link.send(FakeBroker.Conn.publish("in/x", "held", QoS.AT_LEAST_ONCE, 12, false, Properties.EMPTY));
        Clients.awaitTrue(() -> s.buffered() == 1, WAIT, "arrived");
        FakeBroker.Conn c = reconnect(link, true, Properties.EMPTY);
        c.send(FakeBroker.Conn.publish("in/x", "held", QoS.AT_LEAST_ONCE, 12, true, Properties.EMPTY));
        c.assertSilent(QUIET); // still held by the application
        assertEquals("held", s.receive(WAIT).payloadAsString());
        assertEquals(12, c.expect(Puback.class).packetId(), "acknowledged on the new link");
        assertNull(s.receive(QUIET), "delivered once");
    }

    @Test
    @DisplayName("inbound QoS 2 past PUBREC survives the reconnect: the broker's PUBREL gets PUBCOMP 0x00")
    void inboundQos2AcrossReconnect() throws Exception {
        Client client = client();
        FakeBroker.Conn link = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, link, "in/#", QoS.EXACTLY_ONCE);
        link.send(FakeBroker.Conn.publish("in/x", "two", QoS.EXACTLY_ONCE, 13, false, Properties.EMPTY));
        assertEquals("two", s.receive(WAIT).payloadAsString());
        assertEquals(13, link.expect(Pubrec.class).packetId());
        FakeBroker.Conn c = reconnect(link, true, Properties.EMPTY);
        c.send(new Pubrel(13));
        Pubcomp comp = c.expect(Pubcomp.class);
        assertEquals(13, comp.packetId());
        assertEquals(ReasonCode.SUCCESS, comp.reasonCode());
    }

    @Test
    @DisplayName("a resumed in-flight message too large for the broker's new Maximum Packet Size fails alone;"
            + " the others are still re-sent")
    void resumedMessageTooLargeNow() throws Exception {
        Client client = client();
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<PublishResult> big = client.publishAsync(message("big", QoS.AT_LEAST_ONCE, 500));
        CompletableFuture<PublishResult> small = client.publishAsync(message("small", QoS.AT_LEAST_ONCE, 1));
        link.expect(Publish.class);
        Publish s1 = link.expect(Publish.class);
        FakeBroker.Conn c = reconnect(link, true,
                Properties.builder().add(PropertyId.MAXIMUM_PACKET_SIZE, 100).build());
        assertEquals(ReasonCode.PACKET_TOO_LARGE, failure(big).reasonCode());
        Publish again = c.expect(Publish.class);
        assertEquals("small", again.topic());
        assertEquals(s1.packetId(), again.packetId());
        c.send(new Puback(again.packetId()));
        done(small);
        assertTrue(client.isConnected());
    }
}
