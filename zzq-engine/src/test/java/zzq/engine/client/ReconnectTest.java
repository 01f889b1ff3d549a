package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.failure;
import static zzq.engine.client.ClientTests.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.Clients;
import zzq.engine.ConnectRefusedException;
import zzq.engine.MonitorEvent;
import zzq.engine.MonitorLog;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.ReconnectPolicy;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/** Reconnecting after a lost link: backoff, what the new CONNECT says, the offline queue, and when to stop. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReconnectTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();

    private final MonitorLog events = new MonitorLog();

    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    /** A client with this reconnect policy and this test's monitor, not yet connected. */
    private Client client(ReconnectPolicy policy) {
        Client client = fake.client(options().reconnect(policy).build());
        client.onMonitorEvent(events);
        return client;
    }

    private static ApplicationMessage message(int i, QoS qos) {
        return ApplicationMessage.builder("r/" + i).payload("m" + i).qos(qos).build();
    }

    @Test
    @DisplayName("a lost link is retried with growing, jittered delays within the policy; each retry is an event")
    void backoffWithEvents() throws Exception {
        ReconnectPolicy policy = new ReconnectPolicy(true, Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.25);
        Client client = client(policy);
        FakeBroker.Conn link = fake.connect(client);
        Endpoint at = Endpoint.parse(fake.url());
        link.close();
        long lastFailure = System.nanoTime();
        List<Long> gapsMs = new ArrayList<>();
        for (int refusal = 0; refusal < 3; refusal++) {
            FakeBroker.Conn c = fake.acceptConnect();
            gapsMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFailure));
            c.send(new Connack(false, ReasonCode.SERVER_UNAVAILABLE, Properties.EMPTY)); // not fatal: retry
            lastFailure = System.nanoTime();
            assertTrue(c.awaitClosed(WAIT));
        }
        fake.acceptSession();
        gapsMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastFailure));
        Clients.awaitTrue(() -> events.count(MonitorEvent.Connected.class) == 2, WAIT, "connected again");

        List<MonitorEvent.ConnectRetried> retries = new ArrayList<>();
        for (MonitorEvent e : events.events()) {
            if (e instanceof MonitorEvent.ConnectRetried r) {
                retries.add(r);
            }
        }
        assertEquals(4, retries.size(), "the loss, then three refusals: " + retries);
        double[] nominalMs = {50, 100, 200, 300};
        for (int i = 0; i < retries.size(); i++) {
            MonitorEvent.ConnectRetried r = retries.get(i);
            assertEquals(at, r.endpoint());
            assertEquals(i + 1, r.attempt(), "attempts count up");
            double ms = r.delay().toNanos() / 1e6;
            assertTrue(ms >= nominalMs[i] * 0.75 && ms <= nominalMs[i] * 1.25,
                    "delay " + i + " is " + ms + " ms, nominal " + nominalMs[i]);
            assertInstanceOf(MqttClientException.class, r.error());
            if (i > 0) {
                ConnectRefusedException refused = assertInstanceOf(ConnectRefusedException.class, r.error());
                assertEquals(ReasonCode.SERVER_UNAVAILABLE, refused.reasonCode());
            }
            // the client really waited: the next dial came no sooner than the delay
            assertTrue(gapsMs.get(i) >= ms - 15, "dialed after " + gapsMs.get(i) + " ms, delay " + ms);
        }
        List<MonitorEvent> order = events.events();
        assertInstanceOf(MonitorEvent.Disconnected.class, order.get(1), "Connected, Disconnected, retries...");
        assertInstanceOf(MonitorEvent.Connected.class, order.get(order.size() - 1));
        assertTrue(client.isConnected());
    }

    @Test
    @DisplayName("a DISCONNECT from the broker with a passing reason (0x8B shutting down) is reported and retried")
    void brokerDisconnectRetried() throws Exception {
        Client client = client(ClientTests.FAST);
        fake.connect(client).send(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, Properties.builder()
                .add(PropertyId.REASON_STRING, "maintenance").build()));
        MonitorEvent.Disconnected d = events.await(MonitorEvent.Disconnected.class);
        assertEquals(ReasonCode.SERVER_SHUTTING_DOWN, d.reasonCode());
        assertTrue(d.byPeer());
        assertTrue(d.detail().contains("maintenance"), d.detail());
        fake.acceptSession();
        Clients.awaitTrue(() -> events.count(MonitorEvent.Connected.class) == 2, WAIT, "connected again");
    }

    @Test
    @DisplayName("the reconnect CONNECT resumes: clean start false when session expiry > 0, true when 0")
    void cleanStartOnReconnect() throws Exception {
        for (long expiry : new long[] {0, 60}) {
            Client client = fake.client(options().clientId("c").sessionExpiry(expiry).build());
            FakeBroker.Conn first = fake.connect(client);
            assertTrue(first.connect().cleanStart(), "the first connect starts clean, as configured");
            first.close();
            FakeBroker.Conn second = fake.acceptSession();
            assertEquals(expiry == 0, second.connect().cleanStart(), "expiry " + expiry);
        }
    }

    @Test
    @DisplayName("3.1.1: a persistent session (clean session false) reconnects with clean session false")
    void v311PersistentSession() throws Exception {
        Client client = fake.client(options().version(MqttVersion.V3_1_1).clientId("p").cleanStart(false).build());
        fake.connect(client).close();
        assertFalse(fake.acceptSession().connect().cleanStart());
    }

    @Test
    @DisplayName("publishes made while offline wait (bounded) and go out in order after the reconnect")
    void offlineQueue() throws Exception {
        Client client = fake.client(options().maxQueuedPublishes(4).build());
        client.onMonitorEvent(events);
        fake.connect(client).close();
        events.await(MonitorEvent.Disconnected.class);
        assertFalse(client.isConnected());
        List<CompletableFuture<PublishResult>> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(client.publishAsync(message(i, i == 2 ? QoS.AT_MOST_ONCE : QoS.AT_LEAST_ONCE)));
        }
        MqttClientException full = failure(client.publishAsync(message(9, QoS.AT_LEAST_ONCE)));
        assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
        assertEquals(4, client.queuedPublishes());

        FakeBroker.Conn c = fake.acceptSession();
        for (int i = 0; i < 4; i++) {
            Publish p = c.expect(Publish.class);
            assertEquals("r/" + i, p.topic(), "in the order published");
            assertFalse(p.dup(), "never sent before");
            if (p.qos() == QoS.AT_LEAST_ONCE) {
                c.send(new Puback(p.packetId()));
            }
        }
        for (CompletableFuture<PublishResult> f : queued) {
            done(f);
        }
        assertEquals(0, client.queuedPublishes());
    }

    @Test
    @DisplayName("reconnects go through the endpoint list: the first broker gone, the next one is dialed")
    void reconnectFailsOver() throws Exception {
        try (FakeBroker first = new FakeBroker(); FakeBroker second = new FakeBroker();
             Client client = Client.create(options().build())) {
            client.onMonitorEvent(events);
            CompletableFuture<?> connecting = client.connectAsync(List.of(first.url(), second.url()));
            first.acceptSession();
            done(connecting);
            first.close(); // the listener and the link: nothing answers there any more
            second.acceptSession();
            MonitorEvent.Connected c = events.await(MonitorEvent.Connected.class,
                    e -> e.endpoint().equals(Endpoint.parse(second.url())), WAIT);
            assertFalse(c.sessionPresent());
        }
    }

    @Test
    @DisplayName("SUBSCRIBE and UNSUBSCRIBE made offline, or unanswered when the link broke, go out on reconnect")
    void requestsSurviveTheLoss() throws Exception {
        Client client = client(ClientTests.FAST);
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<Subscription> unanswered = client.subscribeAsync(
                SubscribeRequest.of("lost/#", QoS.AT_LEAST_ONCE));
        link.expect(Subscribe.class); // never answered
        link.close();
        events.await(MonitorEvent.Disconnected.class);
        CompletableFuture<List<ReasonCode>> offline = client.unsubscribeAsync(List.of("other"));
        FakeBroker.Conn c = fake.acceptSession();
        Subscribe again = c.expect(Subscribe.class);
        assertEquals("lost/#", again.subscriptions().get(0).filter());
        Unsubscribe u = c.expect(Unsubscribe.class);
        assertEquals(List.of("other"), u.filters());
        c.send(new Suback(again.packetId(), List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        c.send(new Unsuback(u.packetId(), List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED),
                Properties.EMPTY));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), done(unanswered).results());
        assertEquals(List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), done(offline));
    }

    @Test
    @DisplayName("ReconnectPolicy.NEVER: a lost link is not dialed again; connect() still works later")
    void neverReconnects() throws Exception {
        Client client = client(ReconnectPolicy.NEVER);
        FakeBroker.Conn c = fake.connect(client);
        c.close();
        events.await(MonitorEvent.Disconnected.class);
        fake.assertNoConnection(QUIET);
        assertFalse(client.isConnected());
        assertEquals(0, events.count(MonitorEvent.ConnectRetried.class));
        CompletableFuture<?> again = client.connectAsync(List.of(fake.url()));
        fake.acceptSession();
        done(again);
        assertTrue(client.isConnected());
    }

    @Test
    @DisplayName("a fatal refusal on reconnect (bad credentials) stops retrying and fails what waits")
    void fatalRefusalGivesUp() throws Exception {
        Client client = client(ClientTests.FAST);
        FakeBroker.Conn link = fake.connect(client);
        CompletableFuture<PublishResult> inFlight = client.publishAsync(message(1, QoS.AT_LEAST_ONCE));
        link.expect(Publish.class); // never acknowledged
        link.close();
        events.await(MonitorEvent.Disconnected.class);
        CompletableFuture<PublishResult> offline = client.publishAsync(message(2, QoS.EXACTLY_ONCE));
        FakeBroker.Conn c = fake.acceptConnect();
        c.send(new Connack(false, ReasonCode.BAD_USER_NAME_OR_PASSWORD, Properties.EMPTY));
        for (CompletableFuture<PublishResult> f : List.of(inFlight, offline)) {
            MqttClientException e = failure(f);
            assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, e.reasonCode(), e.getMessage());
        }
        fake.assertNoConnection(QUIET);
        assertEquals(1, events.count(MonitorEvent.ConnectRetried.class), "only the loss itself was retried");
        assertEquals(0, client.queuedPublishes());
        MonitorEvent.ReconnectStopped stopped = events.await(MonitorEvent.ReconnectStopped.class);
        assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                assertInstanceOf(MqttClientException.class, stopped.reason()).reasonCode());
    }

    @Test
    @DisplayName("disconnect() while waiting to reconnect stops reconnecting")
    void disconnectStopsReconnecting() throws Exception {
        ReconnectPolicy slow = new ReconnectPolicy(true, Duration.ofMillis(600), Duration.ofMillis(600), 1, 0);
        Client client = client(slow);
        FakeBroker.Conn c = fake.connect(client);
        c.close();
        events.await(MonitorEvent.ConnectRetried.class);
        client.disconnect(); // well within the 600 ms wait
        fake.assertNoConnection(Duration.ofMillis(900));
        assertFalse(client.isConnected());
    }

    @Test
    @DisplayName("disconnect() while the connect is under way hangs up and does not dial again")
    void disconnectWhileConnecting() throws Exception {
        Client client = client(ClientTests.FAST);
        FakeBroker.Conn link = fake.connect(client);
        link.close();
        FakeBroker.Conn c = fake.acceptConnect(); // CONNECT received, never answered
        client.disconnect();
        assertTrue(c.awaitClosed(WAIT));
        fake.assertNoConnection(QUIET);
    }

    @Test
    @DisplayName("disconnect() sends DISCONNECT 0x00 and the client does not reconnect")
    void disconnectIsFinal() throws Exception {
        Client client = client(ClientTests.FAST);
        FakeBroker.Conn c = fake.connect(client);
        client.disconnect();
        assertEquals(ReasonCode.NORMAL_DISCONNECTION, c.expect(Disconnect.class).reasonCode());
        assertTrue(c.awaitClosed(WAIT));
        fake.assertNoConnection(QUIET);
        assertFalse(client.isConnected());
        assertEquals(0, events.count(MonitorEvent.ConnectRetried.class));
    }

    @Test
    @DisplayName("disconnectWithWill() sends DISCONNECT 0x04 in 5.0 and is refused in 3.1.1")
    void disconnectWithWill() throws Exception {
        Client client = client(ClientTests.FAST);
        FakeBroker.Conn c = fake.connect(client);
        client.disconnectWithWill();
        assertEquals(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, c.expect(Disconnect.class).reasonCode());
        try (Client v311 = Client.create(options().version(MqttVersion.V3_1_1).build())) {
            assertThrows(IllegalStateException.class, v311::disconnectWithWill);
        }
    }

    @Test
    @DisplayName("session taken over (DISCONNECT 0x8E from the zzq broker): the client does not fight back")
    void takeoverDoesNotReconnect() throws Exception {
        Endpoint at = broker.start(BrokerOptions.DEFAULTS);
        try (Client first = Client.create(options().clientId("same").build());
             Client second = Client.create(options().clientId("same").build())) {
            first.onMonitorEvent(events);
            first.connect(at.toString());
            second.connect(at.toString());
            MonitorEvent.Disconnected d = events.await(MonitorEvent.Disconnected.class);
            assertEquals(ReasonCode.SESSION_TAKEN_OVER, d.reasonCode());
            assertTrue(d.byPeer());
            Clients.awaitTrue(() -> !first.isConnected(), WAIT, "the first client let go");
            // watch for a while: the broker sees no third handshake, and the first client never retries
            MonitorLog brokerLog = broker.log();
            assertThrows(AssertionError.class, () -> brokerLog.await(MonitorEvent.HandshakeSucceeded.class,
                    e -> brokerLog.count(MonitorEvent.HandshakeSucceeded.class) > 2, QUIET));
            assertEquals(0, events.count(MonitorEvent.ConnectRetried.class));
            assertTrue(second.isConnected());
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS,
                    second.publish("t", new byte[1], QoS.AT_LEAST_ONCE, false).reasonCode());
        }
    }
}
