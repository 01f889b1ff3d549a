package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.options;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.property.Properties;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.Clients;
import zzq.engine.ClientOptions;
import zzq.engine.Subscription;

/**
 * How the client acknowledges what it receives: only once the application took a message, in the order messages
 * arrived, and QoS 2 exactly once however often the broker re-sends.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboundAckTest {
    private static Publish publish(String topic, String payload, QoS qos, int id, boolean dup) {
        return FakeBroker.Conn.publish(topic, payload, qos, id, dup, Properties.EMPTY);
    }

    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    @Test
    @DisplayName("no PUBACK until receive() hands the message over; then at once")
    void ackOnlyWhenTaken() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "a/#", QoS.AT_LEAST_ONCE);
        c.send(publish("a/1", "one", QoS.AT_LEAST_ONCE, 11, false));
        c.assertSilent(QUIET);
        assertEquals(1, s.buffered(), "arrived, not yet taken");
        assertEquals("one", s.receive(WAIT).payloadAsString());
        assertEquals(11, c.expect(Puback.class).packetId());
    }

    @Test
    @DisplayName("acks go in arrival order: a message taken early waits for an older one still held (MQTT-4.6.0-2)")
    void acksInArrivalOrder() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription first = ClientTests.subscribe(client, c, "a/#", QoS.AT_LEAST_ONCE);
        Subscription second = ClientTests.subscribe(client, c, "b/#", QoS.AT_LEAST_ONCE);
        c.send(publish("a/1", "older", QoS.AT_LEAST_ONCE, 21, false));
        c.send(publish("b/1", "newer", QoS.AT_LEAST_ONCE, 22, false));
        assertEquals("newer", second.receive(WAIT).payloadAsString());
        c.assertSilent(QUIET); // 22 is taken, but 21 is not
        assertEquals("older", first.receive(WAIT).payloadAsString());
        assertEquals(21, c.expect(Puback.class).packetId());
        assertEquals(22, c.expect(Puback.class).packetId());
    }

    @Test
    @DisplayName("a message in two subscriptions is acknowledged once, after both took it")
    void ackAfterEverySubscriptionTookIt() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription wide = ClientTests.subscribe(client, c, "a/#", QoS.AT_LEAST_ONCE);
        Subscription narrow = ClientTests.subscribe(client, c, "a/1", QoS.AT_LEAST_ONCE);
        c.send(publish("a/1", "shared", QoS.AT_LEAST_ONCE, 31, false));
        assertEquals("shared", wide.receive(WAIT).payloadAsString());
        c.assertSilent(QUIET);
        assertEquals("shared", narrow.receive(WAIT).payloadAsString());
        assertEquals(31, c.expect(Puback.class).packetId());
        c.assertSilent(Duration.ofMillis(100)); // once
    }

    @Test
    @DisplayName("a callback's message is acknowledged when the callback returns")
    void callbackAckOnReturn() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ClientTests.subscribe(client, c, "a/#", QoS.AT_LEAST_ONCE).onMessage(m -> {
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        c.send(publish("a/1", "x", QoS.AT_LEAST_ONCE, 41, false));
        c.assertSilent(QUIET);
        release.countDown();
        assertEquals(41, c.expect(Puback.class).packetId());
    }

    @Test
    @DisplayName("QoS 2 inbound is delivered once though the broker re-sends with DUP before and after PUBREC"
            + " (MQTT-4.3.3-9, -10)")
    void qos2ExactlyOnce() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "q/#", QoS.EXACTLY_ONCE);
        c.send(publish("q/1", "once", QoS.EXACTLY_ONCE, 7, false));
        c.send(publish("q/1", "once", QoS.EXACTLY_ONCE, 7, true)); // before the app took it: no PUBREC yet
        c.assertSilent(QUIET);
        ApplicationMessage m = s.receive(WAIT);
        assertEquals("once", m.payloadAsString());
        assertFalse(m.dup());
        assertEquals(7, c.expect(Pubrec.class).packetId());

        c.send(publish("q/1", "once", QoS.EXACTLY_ONCE, 7, true)); // after PUBREC: PUBREC again, no delivery
        assertEquals(7, c.expect(Pubrec.class).packetId());
        assertNull(s.receive(QUIET), "not delivered twice");

        c.send(new Pubrel(7));
        Pubcomp done = c.expect(Pubcomp.class);
        assertEquals(7, done.packetId());
        assertEquals(ReasonCode.SUCCESS, done.reasonCode());

        c.send(publish("q/1", "next", QoS.EXACTLY_ONCE, 7, false)); // the identifier is free again
        assertEquals("next", s.receive(WAIT).payloadAsString(), "a new message with a reused identifier");
        assertEquals(7, c.expect(Pubrec.class).packetId());
        assertEquals(0, s.buffered());
    }

    @Test
    @DisplayName("a QoS 1 re-send with DUP of a message still held is not delivered twice")
    void qos1ResendWhileHeld() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "q/#", QoS.AT_LEAST_ONCE);
        c.send(publish("q/1", "m", QoS.AT_LEAST_ONCE, 9, false));
        c.send(publish("q/1", "m", QoS.AT_LEAST_ONCE, 9, true));
        c.send(publish("q/marker", "after", QoS.AT_MOST_ONCE, 0, false));
        // the marker comes after the re-send: once it is buffered, the re-send was handled while "m" was held
        Clients.awaitTrue(() -> s.buffered() == 2, WAIT, "the message and the marker buffered, the re-send not");
        assertEquals("m", s.receive(WAIT).payloadAsString());
        assertEquals(9, c.expect(Puback.class).packetId());
        assertEquals("after", s.receive(WAIT).payloadAsString());
        assertNull(s.receive(QUIET));
    }

    @Test
    @DisplayName("a message matching no subscription is acknowledged, dropped and counted (no unmatched inbox)")
    void unmatchedAcknowledgedAndDropped() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        c.send(publish("nobody/x", "m", QoS.AT_LEAST_ONCE, 3, false));
        assertEquals(3, c.expect(Puback.class).packetId(), "the broker is not held back");
        c.send(publish("nobody/x", "m", QoS.EXACTLY_ONCE, 4, false));
        assertEquals(4, c.expect(Pubrec.class).packetId());
        assertEquals(2, client.unmatchedDropped());
    }

    @Test
    @DisplayName("PUBREL for an unknown identifier → PUBCOMP 0x92 (MQTT-4.3.3-11 answers it anyway)")
    void unknownPubrel() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        c.send(new Pubrel(99));
        Pubcomp p = c.expect(Pubcomp.class);
        assertEquals(99, p.packetId());
        assertEquals(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p.reasonCode());
    }

    @Test
    @DisplayName("a broker exceeding the client's Receive Maximum (MQTT-3.3.4-9) is paced, not dropped: every "
            + "message is delivered and acknowledged in order")
    void receiveMaximumExceeded() throws Exception {
        Client client = fake.client(options().receiveMaximum(2).build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "r/#", QoS.AT_LEAST_ONCE);
        for (int id = 1; id <= 3; id++) {
            c.send(publish("r/x", "m" + id, QoS.AT_LEAST_ONCE, id, false));
        }
        for (int id = 1; id <= 3; id++) {
            assertEquals("m" + id, s.receive(WAIT).payloadAsString());
            assertEquals(id, c.expect(Puback.class).packetId());
        }
        assertTrue(client.isConnected(), "the connection stays up");
    }

    @Test
    @DisplayName("QoS 0 beyond the subscription buffer is dropped and counted; QoS 1 is never dropped")
    void qos0Overflow() throws Exception {
        Client client = fake.client(options().subscriptionBuffer(2).build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "o/#", QoS.AT_LEAST_ONCE);
        for (int i = 0; i < 5; i++) {
            c.send(publish("o/x", "q0-" + i, QoS.AT_MOST_ONCE, 0, false));
        }
        c.send(publish("o/x", "q1", QoS.AT_LEAST_ONCE, 1, false));
        Clients.awaitTrue(() -> s.buffered() == 3, WAIT, "two QoS 0 and the QoS 1 buffered");
        assertEquals("q0-0", s.receive(WAIT).payloadAsString());
        assertEquals("q0-1", s.receive(WAIT).payloadAsString());
        assertEquals("q1", s.receive(WAIT).payloadAsString(), "QoS 1 kept though the buffer was full");
        assertEquals(3, s.droppedMessages());
        assertEquals(1, c.expect(Puback.class).packetId());
    }
}
