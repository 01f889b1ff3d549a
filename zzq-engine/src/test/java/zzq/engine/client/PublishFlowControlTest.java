package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.assertPending;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.failure;
import static zzq.engine.client.ClientTests.options;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;

/**
 * Publish flow control: the broker's Receive Maximum is never exceeded and publishes beyond it wait instead of
 * failing; the client's own queue is bounded, failing fast for {@code publishAsync} and waiting (within the
 * request timeout) for the blocking publish.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PublishFlowControlTest {
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static ApplicationMessage message(int i, QoS qos) {
        return ApplicationMessage.builder("flow/" + i).payload("m" + i).qos(qos).build();
    }

    private static Properties receiveMaximum(int max) {
        return Properties.builder().add(PropertyId.RECEIVE_MAXIMUM, max).build();
    }

    @Test
    @DisplayName("the broker's Receive Maximum 2 is never exceeded; the rest go out, in order, as acks come"
            + " (MQTT-4.9.0-2; QoS 2 holds its quota until PUBCOMP)")
    void receiveMaximumHonoured() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, receiveMaximum(2));
        int total = 7;
        List<CompletableFuture<PublishResult>> futures = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            futures.add(client.publishAsync(message(i, i % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE)));
        }
        ArrayDeque<Publish> outstanding = new ArrayDeque<>();
        outstanding.add(c.expect(Publish.class));
        outstanding.add(c.expect(Publish.class));
        int next = 2;
        c.assertSilent(QUIET); // two unacknowledged: the third waits
        while (!outstanding.isEmpty()) {
            Publish oldest = outstanding.poll();
            if (oldest.qos() == QoS.EXACTLY_ONCE) {
                c.send(new Pubrec(oldest.packetId()));
                assertEquals(oldest.packetId(), c.expect(Pubrel.class).packetId());
                if (next < total) {
                    c.assertSilent(Duration.ofMillis(100)); // PUBREC does not free the quota
                }
                c.send(new Pubcomp(oldest.packetId()));
            } else {
                c.send(new Puback(oldest.packetId()));
            }
            if (next < total) {
                Publish p = c.expect(Publish.class);
                assertEquals("flow/" + next, p.topic(), "publishes go out in order");
                next++;
                outstanding.add(p);
            }
            assertTrue(outstanding.size() <= 2);
        }
        for (CompletableFuture<PublishResult> f : futures) {
            assertEquals(ReasonCode.SUCCESS, done(f).reasonCode(), "no 'too many publishes in progress'");
        }
        assertEquals(total, next);
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("QoS 0 publishes do not count against Receive Maximum and are not held behind it")
    void qos0NotHeldByReceiveMaximum() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, receiveMaximum(1));
        CompletableFuture<PublishResult> q1 = client.publishAsync(message(0, QoS.AT_LEAST_ONCE));
        Publish first = c.expect(Publish.class);
        done(client.publishAsync(message(1, QoS.AT_MOST_ONCE)));
        assertEquals("flow/1", c.expect(Publish.class).topic());
        c.send(new Puback(first.packetId()));
        done(q1);
    }

    @Test
    @DisplayName("maxQueuedPublishes: publishAsync fails at once when full; the blocking publish times out clearly")
    void queueBoundFailsFast() throws Exception {
        Client client = fake.client(options().maxQueuedPublishes(3) .requestTimeout(Duration.ofMillis(400)).build());
        FakeBroker.Conn c = fake.connect(client);
        List<CompletableFuture<PublishResult>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(client.publishAsync(message(i, QoS.AT_LEAST_ONCE)));
            c.expect(Publish.class); // ...and never acknowledged
        }
        assertEquals(3, client.queuedPublishes());
        MqttClientException full = failure(client.publishAsync(message(3, QoS.AT_LEAST_ONCE)));
        assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
        full = failure(client.publishAsync(message(3, QoS.AT_MOST_ONCE)));
        assertTrue(full.getMessage().contains("queue is full"), "QoS 0 queues too: " + full.getMessage());

        long start = System.nanoTime();
        MqttClientException timedOut = assertThrows(MqttClientException.class,
                () -> client.publish("flow/x", new byte[1], QoS.AT_LEAST_ONCE, false));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(timedOut.getMessage().contains("queue is full"), timedOut.getMessage());
        assertTrue(tookMs >= 350 && tookMs < 2000, "waited the request timeout, not " + tookMs + " ms");
        c.assertSilent(Duration.ofMillis(50));
        for (CompletableFuture<PublishResult> f : held) {
            assertPending(f);
        }
        assertEquals(3, client.queuedPublishes());
    }

    @Test
    @DisplayName("the blocking publish waits for room and goes out when an acknowledgement frees it")
    void blockingPublishWaitsForRoom() throws Exception {
        Client client = fake.client(options().maxQueuedPublishes(1).build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<PublishResult> first = client.publishAsync(message(0, QoS.AT_LEAST_ONCE));
        Publish p0 = c.expect(Publish.class);
        CompletableFuture<PublishResult> blocking = CompletableFuture.supplyAsync(
                () -> client.publish("flow/1", "m1".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false));
        c.assertSilent(QUIET);
        assertPending(blocking);
        c.send(new Puback(p0.packetId()));
        done(first);
        Publish p1 = c.expect(Publish.class);
        assertEquals("flow/1", p1.topic());
        c.send(new Puback(p1.packetId()));
        assertEquals(ReasonCode.SUCCESS, done(blocking).reasonCode());
    }

    @Test
    @DisplayName("maxQueuedBytes bounds payload bytes; one message is always admitted when nothing is held")
    void queuedBytesBound() throws Exception {
        Client client = fake.client(options().maxQueuedBytes(100).build());
        FakeBroker.Conn c = fake.connect(client);
        ApplicationMessage big = ApplicationMessage.builder("b").payload(new byte[500]).qos(QoS.AT_LEAST_ONCE)
                .build();
        CompletableFuture<PublishResult> alone = client.publishAsync(big);
        Publish p = c.expect(Publish.class);
        MqttClientException full = failure(client.publishAsync(
                ApplicationMessage.builder("b").payload(new byte[1]).qos(QoS.AT_LEAST_ONCE).build()));
        assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
        c.send(new Puback(p.packetId()));
        done(alone);
        CompletableFuture<PublishResult> a = client.publishAsync(
                ApplicationMessage.builder("b").payload(new byte[60]).qos(QoS.AT_LEAST_ONCE).build());
        CompletableFuture<PublishResult> b = client.publishAsync(
                ApplicationMessage.builder("b").payload(new byte[60]).qos(QoS.AT_LEAST_ONCE).build());
        assertTrue(failure(b).getMessage().contains("queue is full"), "60 + 60 bytes > 100");
        c.send(new Puback(c.expect(Publish.class).packetId()));
        done(a);
    }
}
