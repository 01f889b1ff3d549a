package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.options;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.ChallengeAuthenticator;
import zzq.engine.Client;
import zzq.engine.ClientAuthentication;
import zzq.engine.Clients;
import zzq.engine.ConnectRefusedException;
import zzq.engine.MonitorEvent;
import zzq.engine.MonitorLog;
import zzq.engine.MqttClientException;

/** The client's side of 5.0 enhanced authentication (section 4.12) against the zzq broker. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientEnhancedAuthTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Answers each challenge with {@link #answer}; records what it was asked, and on which threads. */
    private static class Answering implements ClientAuthentication {
        volatile String answer = "response";
        volatile RuntimeException failWith;
        /** How long succeeded() takes, as a client checking the broker's final data (a SCRAM signature) might. */
        volatile long succeededMillis;
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public String method() {
            return ChallengeAuthenticator.METHOD;
        }

        @Override
        public byte[] initialData() {
            threads.add(Thread.currentThread().getName());
            calls.add("initial");
            return bytes("hello");
        }

        @Override
        public byte[] challenge(byte[] data) {
            threads.add(Thread.currentThread().getName());
            calls.add("challenge " + new String(data, StandardCharsets.UTF_8));
            if (failWith != null) {
                throw failWith;
            }
            return bytes(answer);
        }

        @Override
        public void succeeded(byte[] data) {
            threads.add(Thread.currentThread().getName());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(succeededMillis));
            calls.add("succeeded " + new String(data, StandardCharsets.UTF_8));
        }

        String next() throws InterruptedException {
            return calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final ChallengeAuthenticator authenticator = new ChallengeAuthenticator();

    private Endpoint start() {
        return broker.start(BrokerOptions.builder().enhancedAuthenticator(authenticator).build());
    }

    @Test
    @DisplayName("CONNECT with method and data, one challenge round, CONNACK success; callbacks off the loop")
    void challengeRound() throws Exception {
        Endpoint at = start();
        Answering auth = new Answering();
        try (Client client = Client.connect(at.toString(), options().authentication(auth).build())) {
            assertTrue(client.isConnected());
            assertEquals("initial", auth.next());
            assertEquals("challenge challenge", auth.next());
            assertEquals("succeeded welcome", auth.next(), "the CONNACK's Authentication Data");
            assertEquals(List.of(ChallengeAuthenticator.bytes("hello")), authenticator.begun(),
                    "CONNECT carried the initial data");
            auth.threads.forEach(ClientTests::assertCallbackThread);
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS,
                    client.publish("t", new byte[1], QoS.AT_LEAST_ONCE, false).reasonCode());
        }
    }

    @Test
    @DisplayName("reauthenticate(): AUTH 0x19, a challenge, AUTH 0x00; the connection stays (4.12.1)")
    void reauthenticate() throws Exception {
        Endpoint at = start();
        Answering auth = new Answering();
        try (Client client = Client.connect(at.toString(), options().authentication(auth).build())) {
            auth.calls.clear();
            client.reauthenticate();
            assertEquals("initial", auth.next());
            assertEquals("challenge challenge", auth.next());
            assertEquals("succeeded welcome", auth.next());
            assertEquals(2, authenticator.begun().size(), "a second exchange on the broker");
            assertTrue(client.isConnected());
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS,
                    client.publish("t", new byte[1], QoS.AT_LEAST_ONCE, false).reasonCode());
        }
    }

    @Test
    @DisplayName("connect() and reauthenticate() return only after succeeded() has taken the broker's final data")
    void succeededBeforeReturning() throws Exception {
        Endpoint at = start();
        Answering auth = new Answering();
        auth.succeededMillis = 200;
        try (Client client = Client.connect(at.toString(), options().authentication(auth).build())) {
            assertTrue(auth.calls.contains("succeeded welcome"), "connect returned first: " + auth.calls);
            auth.calls.clear();
            client.reauthenticate();
            assertTrue(auth.calls.contains("succeeded welcome"), "reauthenticate returned first: " + auth.calls);
        }
    }

    @Test
    @DisplayName("a failed re-authentication fails reauthenticate(); the broker's 0x87 stops reconnecting")
    void reauthenticationRefused() throws Exception {
        Endpoint at = start();
        Answering auth = new Answering();
        MonitorLog events = new MonitorLog();
        try (Client client = Client.create(options().authentication(auth).build())) {
            client.onMonitorEvent(events);
            client.connect(at.toString());
            auth.answer = "wrong";
            MqttClientException e = assertThrows(MqttClientException.class, client::reauthenticate);
            assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode(), e.getMessage());
            Clients.awaitTrue(() -> !client.isConnected(), WAIT, "disconnected");
            assertEquals(ReasonCode.NOT_AUTHORIZED, events.await(MonitorEvent.Disconnected.class).reasonCode());
            assertThrows(AssertionError.class, () -> events.await(MonitorEvent.ConnectRetried.class, r -> true,
                    QUIET), "a fatal reason: no retry");
        }
    }

    @Test
    @DisplayName("a wrong response → ConnectRefusedException 0x87; an unknown method → 0x8C")
    void refusals() {
        Endpoint at = start();
        Answering wrong = new Answering();
        wrong.answer = "guess";
        ConnectRefusedException e = assertThrows(ConnectRefusedException.class,
                () -> Client.connect(at.toString(), options().authentication(wrong).build()));
        assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode());

        ClientAuthentication other = new Answering() {
            @Override
            public String method() {
                return "OTHER";
            }
        };
        e = assertThrows(ConnectRefusedException.class,
                () -> Client.connect(at.toString(), options().authentication(other).build()));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, e.reasonCode());
    }

    @Test
    @DisplayName("a challenge() that throws fails the connect with that exception as the cause")
    void challengeThrows() {
        Endpoint at = start();
        Answering auth = new Answering();
        auth.failWith = new IllegalStateException("no key");
        MqttClientException e = assertThrows(MqttClientException.class,
                () -> Client.connect(at.toString(), options().authentication(auth).build()));
        assertInstanceOf(IllegalStateException.class, e.getCause(), e.toString());
    }

    @Test
    @DisplayName("reauthenticate() without enhanced authentication → IllegalStateException")
    void reauthenticateNeedsTheOption() {
        Endpoint at = start();
        try (Client client = Client.connect(at.toString(), options().build())) {
            assertThrows(IllegalStateException.class, client::reauthenticate);
        }
    }
}
