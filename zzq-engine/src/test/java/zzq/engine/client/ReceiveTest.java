package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.assertCallbackThread;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.Clients;
import zzq.engine.MonitorEvent;
import zzq.engine.PublishResult;
import zzq.engine.Subscription;

/**
 * The three ways to consume a subscription (iteration, callback, Flow.Publisher), and the threads user code runs
 * on: never the network's, so a callback may block or call the client.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReceiveTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    /** A client of this test's zzq broker, started on first use. */
    private Client connect() {
        if (broker.broker() == null) {
            endpoint = broker.start(BrokerOptions.DEFAULTS);
        }
        return Client.connect(endpoint.toString(), options().build());
    }

    private Endpoint endpoint;

    private static void publish(Client c, String topic, String payload) {
        c.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
    }

    /** A Flow subscriber that records what it gets and the threads it got it on. */
    private static final class Recorder implements Flow.Subscriber<ApplicationMessage> {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final List<String> threads = new ArrayList<>();
        volatile Flow.Subscription subscription;
        volatile Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            events.add("subscribed");
        }

        @Override
        public void onNext(ApplicationMessage item) {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            events.add(item.payloadAsString());
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            events.add("error");
        }

        @Override
        public void onComplete() {
            events.add("complete");
        }

        String next() throws InterruptedException {
            String e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(e, "no signal within " + WAIT);
            return e;
        }

        /** A recorder subscribed to {@code publisher}, once its onSubscribe came. */
        static Recorder subscribedTo(Flow.Publisher<ApplicationMessage> publisher) throws InterruptedException {
            Recorder r = new Recorder();
            publisher.subscribe(r);
            assertEquals("subscribed", r.next());
            return r;
        }

        void assertNothing() throws InterruptedException {
            assertNull(events.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    @DisplayName("receive() returns messages in order and null when none comes within its timeout")
    void iteration() throws Exception {
        try (Client client = connect()) {
            Subscription s = client.subscribe("it/#", QoS.AT_LEAST_ONCE);
            for (int i = 0; i < 5; i++) {
                publish(client, "it/" + i, "m" + i);
            }
            for (int i = 0; i < 5; i++) {
                ApplicationMessage m = s.receive(WAIT);
                assertEquals("it/" + i, m.topic(), "MQTT-4.6.0-6: in order");
            }
            long start = System.nanoTime();
            assertNull(s.receive(Duration.ofMillis(150)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(140), "waited the timeout");
            assertTrue(s.isActive());
        }
    }

    @Test
    @DisplayName("onMessage: every message, in order, one at a time, on a client callback thread")
    void callback() throws Exception {
        try (Client client = connect()) {
            Subscription s = client.subscribe("cb/#", QoS.AT_LEAST_ONCE);
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            s.onMessage(m -> {
                assertCallbackThread(Thread.currentThread().getName());
                got.add(m.payloadAsString() + "@" + Thread.currentThread().getName());
            });
            for (int i = 0; i < 5; i++) {
                publish(client, "cb/x", "m" + i);
            }
            for (int i = 0; i < 5; i++) {
                String e = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(e);
                assertTrue(e.startsWith("m" + i + "@zzq-client-callback-"), e);
            }
            assertThrows(IllegalStateException.class, () -> s.receive(QUIET), "one way of consuming");
            assertThrows(IllegalStateException.class, s::publisher);
        }
    }

    @Test
    @DisplayName("Flow.Publisher honours demand: request(1) gets exactly one, request(2) two more")
    void publisherHonoursDemand() throws Exception {
        try (Client client = connect()) {
            Subscription s = client.subscribe("fl/#", QoS.AT_LEAST_ONCE);
            Recorder r = Recorder.subscribedTo(s.publisher());
            for (int i = 0; i < 4; i++) {
                publish(client, "fl/x", "m" + i);
            }
            r.subscription.request(1);
            assertEquals("m0", r.next());
            Clients.awaitTrue(() -> s.buffered() == 3, WAIT, "the rest arrived and wait in the buffer");
            r.assertNothing();
            r.subscription.request(2);
            assertEquals("m1", r.next());
            assertEquals("m2", r.next());
            r.assertNothing();
            assertEquals(1, s.buffered());
            synchronized (r.threads) {
                r.threads.forEach(ClientTests::assertCallbackThread);
            }
            assertThrows(IllegalStateException.class, () -> s.receive(QUIET));
        }
    }

    @Test
    @DisplayName("Flow.Publisher: onComplete after unsubscribe, even with no demand left (reactive streams 1.4)")
    void publisherCompletesAfterUnsubscribe() throws Exception {
        try (Client client = connect()) {
            Subscription s = client.subscribe("fc/#", QoS.AT_LEAST_ONCE);
            Recorder r = Recorder.subscribedTo(s.publisher());
            r.subscription.request(1);
            publish(client, "fc/x", "only");
            assertEquals("only", r.next());
            assertEquals(List.of(ReasonCode.SUCCESS), s.unsubscribe());
            assertEquals("complete", r.next());
        }
    }

    @Test
    @DisplayName("Flow.Publisher: onComplete comes after the buffered messages are delivered")
    void publisherDrainsThenCompletes() throws Exception {
        try (Client client = connect()) {
            Subscription s = client.subscribe("fd/#", QoS.AT_LEAST_ONCE);
            Recorder r = Recorder.subscribedTo(s.publisher());
            publish(client, "fd/x", "a");
            publish(client, "fd/x", "b");
            Clients.awaitTrue(() -> s.buffered() == 2, WAIT, "both buffered");
            s.unsubscribe();
            r.assertNothing(); // no demand: neither messages nor completion yet
            r.subscription.request(5);
            assertEquals("a", r.next());
            assertEquals("b", r.next());
            assertEquals("complete", r.next());
        }
    }

    @Test
    @DisplayName("Flow.Publisher: cancel unsubscribes (the broker sees UNSUBSCRIBE); a second subscriber gets onError")
    void publisherCancelUnsubscribes() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "cx/#", QoS.AT_LEAST_ONCE);
        Flow.Publisher<ApplicationMessage> publisher = s.publisher();
        Recorder r = Recorder.subscribedTo(publisher);
        Recorder second = Recorder.subscribedTo(publisher);
        assertEquals("error", second.next());
        assertInstanceOf(IllegalStateException.class, second.error);

        r.subscription.cancel();
        Unsubscribe u = c.expect(Unsubscribe.class);
        assertEquals(List.of("cx/#"), u.filters());
        c.send(new Unsuback(u.packetId(), List.of(ReasonCode.SUCCESS), Properties.EMPTY));
        Clients.awaitTrue(() -> !s.isActive(), WAIT, "the subscription ended");
        r.assertNothing(); // rule 3.6: nothing after cancel
    }

    @Test
    @DisplayName("Flow.Publisher: request(0) → onError (reactive streams 3.9), and the subscription ends")
    void publisherNonPositiveDemand() throws Exception {
        try (Client client = connect()) {
            Subscription s = client.subscribe("fz/#", QoS.AT_LEAST_ONCE);
            Recorder r = Recorder.subscribedTo(s.publisher());
            r.subscription.request(0);
            assertEquals("error", r.next());
            assertInstanceOf(IllegalArgumentException.class, r.error);
            Clients.awaitTrue(() -> !s.isActive(), WAIT, "unsubscribed");
            r.assertNothing();
        }
    }

    @Test
    @DisplayName("a message matching two subscriptions of the client reaches each exactly once")
    void overlappingSubscriptionsBothGetIt() throws Exception {
        try (Client client = connect()) {
            Subscription wide = client.subscribe("ov/#", QoS.AT_LEAST_ONCE);
            Subscription narrow = client.subscribe("ov/x", QoS.AT_MOST_ONCE);
            publish(client, "ov/x", "both");
            publish(client, "ov/y", "wide only");
            assertEquals("both", wide.receive(WAIT).payloadAsString());
            assertEquals("wide only", wide.receive(WAIT).payloadAsString());
            assertEquals("both", narrow.receive(WAIT).payloadAsString());
            assertNull(wide.receive(QUIET), "no second copy");
            assertNull(narrow.receive(Duration.ofMillis(50)), "no second copy");
        }
    }

    @Test
    @DisplayName("a blocked callback holds up neither other subscriptions nor publishing")
    void blockedCallbackStallsNothingElse() throws Exception {
        try (Client client = connect()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            BlockingQueue<String> slowGot = new LinkedBlockingQueue<>();
            client.subscribe("slow/#", QoS.AT_LEAST_ONCE).onMessage(m -> {
                entered.countDown();
                try {
                    release.await(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowGot.add(m.payloadAsString());
            });
            BlockingQueue<String> fastGot = new LinkedBlockingQueue<>();
            client.subscribe("fast/#", QoS.AT_LEAST_ONCE).onMessage(m -> fastGot.add(m.payloadAsString()));
            publish(client, "slow/x", "s0");
            assertTrue(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            for (int i = 0; i < 3; i++) {
                PublishResult r = client.publish("fast/x", ("f" + i).getBytes(), QoS.AT_LEAST_ONCE, false);
                assertEquals(ReasonCode.SUCCESS, r.reasonCode(), "publishing goes on");
                assertEquals("f" + i, fastGot.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertTrue(slowGot.isEmpty());
            release.countDown();
            assertEquals("s0", slowGot.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    @DisplayName("a callback may publish and subscribe on its own client without deadlock")
    void callbackCallsClient() throws Exception {
        try (Client client = connect()) {
            CompletableFuture<String> answered = new CompletableFuture<>();
            Subscription replies = client.subscribe("reply/#", QoS.AT_LEAST_ONCE);
            client.subscribe("ask/#", QoS.EXACTLY_ONCE).onMessage(m -> {
                try {
                    Subscription more = client.subscribe("more/#", QoS.AT_LEAST_ONCE);
                    client.publish("reply/1", m.payloadAsBytes(), QoS.EXACTLY_ONCE, false);
                    answered.complete(more.results().toString());
                } catch (RuntimeException e) {
                    answered.completeExceptionally(e);
                }
            });
            client.publish("ask/1", "question".getBytes(), QoS.EXACTLY_ONCE, false);
            assertEquals("[GRANTED_QOS_1]", done(answered));
            assertEquals("question", replies.receive(WAIT).payloadAsString());
        }
    }

    @Test
    @DisplayName("futures complete, and monitors run, on client callback threads, never on the event loop")
    void futuresAndMonitorsOffTheLoop() throws Exception {
        BlockingQueue<String> monitorThreads = new LinkedBlockingQueue<>();
        Client client = fake.client(options().build());
        client.onMonitorEvent(e -> {
            if (e instanceof MonitorEvent.Connected) {
                monitorThreads.add(Thread.currentThread().getName());
            }
        });
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<PublishResult> published = client.publishAsync(
                ApplicationMessage.builder("t").payload("x").qos(QoS.AT_LEAST_ONCE).build());
        CompletableFuture<String> thread = published.thenApply(r -> Thread.currentThread().getName());
        Publish p = c.expect(Publish.class);
        c.send(new Puback(p.packetId()));
        assertCallbackThread(done(thread));
        assertCallbackThread(monitorThreads.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
}
