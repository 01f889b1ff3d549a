package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.failure;
import static zzq.engine.client.ClientTests.options;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Subscribe;
import zzq.codec.property.Properties;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.Clients;
import zzq.engine.MonitorEvent;
import zzq.engine.MonitorLog;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.ReconnectPolicy;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/** close() ends everything for good; disconnect() ends the connection and keeps the session's work for later. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientCloseTest {
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static ApplicationMessage message(String topic, QoS qos) {
        return ApplicationMessage.builder(topic).payload("m").qos(qos).build();
    }

    @Test
    @DisplayName("close() fails every waiting future with MqttClientException and ends every subscription")
    void closeFailsWaitersAndEndsSubscriptions() throws Exception {
        MonitorLog events = new MonitorLog();
        Client client = fake.client(options().build());
        client.onMonitorEvent(events);
        FakeBroker.Conn c = fake.connect(client);
        Subscription iterated = ClientTests.subscribe(client, c, "it/#", QoS.AT_LEAST_ONCE);
        Subscription flowed = ClientTests.subscribe(client, c, "fl/#", QoS.AT_LEAST_ONCE);
        CompletableFuture<String> completed = new CompletableFuture<>();
        flowed.publisher().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ApplicationMessage item) {
            }

            @Override
            public void onError(Throwable t) {
                completed.complete("error " + t);
            }

            @Override
            public void onComplete() {
                completed.complete("complete");
            }
        });
        c.send(FakeBroker.Conn.publish("it/x", "buffered", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        Clients.awaitTrue(() -> iterated.buffered() == 1, WAIT, "buffered");

        CompletableFuture<PublishResult> unacked = client.publishAsync(message("p", QoS.AT_LEAST_ONCE));
        c.expect(Publish.class);
        CompletableFuture<Subscription> unanswered = client.subscribeAsync(SubscribeRequest.of("s",
                QoS.AT_MOST_ONCE));
        c.expect(Subscribe.class);

        client.close();
        assertEquals(ReasonCode.NORMAL_DISCONNECTION, c.expect(Disconnect.class).reasonCode());
        assertTrue(c.awaitClosed(WAIT));
        assertTrue(failure(unacked).getMessage().contains("closed"));
        assertTrue(failure(unanswered).getMessage().contains("closed"));
        assertEquals("complete", done(completed), "a Flow subscriber is completed");
        assertFalse(iterated.isActive());
        assertEquals("buffered", iterated.receive(WAIT).payloadAsString(), "the buffer can still be drained");
        assertNull(iterated.receive(WAIT), "then null at once");
        events.await(MonitorEvent.Closed.class);
        assertEquals(0, client.queuedPublishes());

        client.close(); // idempotent
        assertTrue(failure(client.publishAsync(message("p", QoS.AT_MOST_ONCE))).getMessage().contains("closed"));
        assertThrows(MqttClientException.class, () -> client.subscribe("x", QoS.AT_MOST_ONCE));
        assertThrows(MqttClientException.class, () -> client.unsubscribe("x"));
        assertFalse(client.isConnected());
        fake.assertNoConnection(QUIET);
    }

    @Test
    @DisplayName("close() while waiting to reconnect fails the publishes queued meanwhile")
    void closeWhileOffline() throws Exception {
        ReconnectPolicy slow = ReconnectPolicy.backoff(Duration.ofSeconds(5), Duration.ofSeconds(5));
        Client client = fake.client(options().reconnect(slow).build());
        FakeBroker.Conn c = fake.connect(client);
        c.close();
        Clients.awaitTrue(() -> !client.isConnected(), WAIT, "offline");
        CompletableFuture<PublishResult> queued = client.publishAsync(message("p", QoS.AT_LEAST_ONCE));
        CompletableFuture<PublishResult> queued0 = client.publishAsync(message("p", QoS.AT_MOST_ONCE));
        client.close();
        failure(queued);
        failure(queued0);
        fake.assertNoConnection(QUIET);
    }

    @Test
    @DisplayName("a blocking call waiting when close() comes fails with MqttClientException at once")
    void blockedCallerReleasedByClose() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return client.publish("b", new byte[1], QoS.AT_LEAST_ONCE, false);
            } catch (MqttClientException e) {
                return e;
            }
        });
        c.expect(Publish.class);
        long start = System.nanoTime();
        client.close();
        Object outcome = done(blocked);
        assertTrue(outcome instanceof MqttClientException, String.valueOf(outcome));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "released promptly");
    }

    @Test
    @DisplayName("disconnect() keeps unacknowledged publishes; a later connect sends them")
    void disconnectKeepsQueuedPublishes() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<PublishResult> f = client.publishAsync(message("kept", QoS.AT_LEAST_ONCE));
        link.expect(Publish.class);
        client.disconnect();
        link.expect(Disconnect.class);
        assertFalse(f.isDone());
        assertEquals(1, client.queuedPublishes());
        CompletableFuture<?> again = client.connectAsync(List.of(fake.url()));
        FakeBroker.Conn c = fake.acceptSession();
        done(again);
        Publish p = c.expect(Publish.class);
        assertEquals("kept", p.topic());
        c.send(new Puback(p.packetId()));
        done(f);
    }
}
