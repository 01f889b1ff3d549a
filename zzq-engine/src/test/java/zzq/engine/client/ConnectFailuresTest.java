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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ConnectRefusedException;
import zzq.engine.ConnectResult;
import zzq.engine.MqttClientException;

/** How a connect fails: refused by CONNACK, unanswered, unreachable; and failing over to the next endpoint. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectFailuresTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    @Test
    @DisplayName("a CONNACK refusal → ConnectRefusedException with the reason code and Reason String")
    void refusalCarriesCodeAndReasonString() throws Exception {
        Client client = fake.client(options().build());
        CompletableFuture<ConnectResult> connecting = client.connectAsync(List.of(fake.url()));
        FakeBroker.Conn c = fake.acceptConnect();
        c.send(new Connack(false, ReasonCode.QUOTA_EXCEEDED, Properties.builder()
                .add(PropertyId.REASON_STRING, "come back later").build()));
        ConnectRefusedException e = assertInstanceOf(ConnectRefusedException.class, failure(connecting));
        assertEquals(ReasonCode.QUOTA_EXCEEDED, e.reasonCode());
        assertEquals("come back later", e.reasonString());
        assertTrue(e.getMessage().contains("come back later"), e.getMessage());
        assertFalse(client.isConnected());
        fake.assertNoConnection(QUIET); // the application's connect does not retry a refusal
    }

    @Test
    @DisplayName("the zzq broker's refusal reaches the blocking Client.connect: 5.0 code, 3.1.1 return code")
    void zzqBrokerRefusal() {
        Endpoint at = broker.start(BrokerOptions.builder().allowAnonymous(false).build());
        ConnectRefusedException v5 = assertThrows(ConnectRefusedException.class,
                () -> Client.connect(at.toString(), options().build()));
        assertEquals(ReasonCode.NOT_AUTHORIZED, v5.reasonCode());
        ConnectRefusedException v311 = assertThrows(ConnectRefusedException.class,
                () -> Client.connect(at.toString(), options().version(MqttVersion.V3_1_1).build()));
        assertEquals(5, v311.reasonCode().toV3ConnackCode(), "3.1.1 return code 5, not authorized");
    }

    @Test
    @DisplayName("no CONNACK within the connect timeout → MqttClientException, and the socket is closed")
    void connectTimeout() throws Exception {
        Client client = fake.client(options().connectTimeout(Duration.ofMillis(500)).build());
        long start = System.nanoTime();
        CompletableFuture<ConnectResult> connecting = client.connectAsync(List.of(fake.url()));
        FakeBroker.Conn c = fake.acceptConnect(); // ...and never answered
        MqttClientException e = failure(connecting);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertFalse(e instanceof ConnectRefusedException, e.toString());
        assertTrue(tookMs >= 450 && tookMs < 2500, "failed after " + tookMs + " ms");
        assertTrue(c.awaitClosed(WAIT), "the client hangs up");
        assertFalse(client.isConnected());
    }

    @Test
    @DisplayName("the blocking Client.connect gives up after the connect timeout too")
    void blockingConnectTimeout() throws Exception {
        // the TCP connect completes through the backlog; nobody ever reads the CONNECT
        MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(fake.url(),
                options().connectTimeout(Duration.ofMillis(300)).build()));
        assertFalse(e instanceof ConnectRefusedException, e.toString());
    }

    @Test
    @DisplayName("failover: the first endpoint refuses the TCP connection, the second answers")
    void failoverToSecondEndpoint() throws Exception {
        Client client = fake.client(options().build());
        String dead = FakeBroker.closedPortUrl();
        CompletableFuture<ConnectResult> connecting = client.connectAsync(List.of(dead, fake.url()));
        fake.acceptSession();
        ConnectResult r = done(connecting);
        assertEquals(Endpoint.parse(fake.url()), r.endpoint());
        assertTrue(client.isConnected());
    }

    @Test
    @DisplayName("every endpoint unreachable → the connect fails with the last error")
    void noEndpointReachable() throws Exception {
        String a = FakeBroker.closedPortUrl();
        String b = FakeBroker.closedPortUrl();
        try (Client client = Client.create(options().build())) {
            MqttClientException e = assertThrows(MqttClientException.class, () -> client.connect(a, b));
            assertFalse(e instanceof ConnectRefusedException, e.toString());
            assertFalse(client.isConnected());
        }
    }

    @Test
    @DisplayName("connect on a connected client → IllegalStateException; on a closed one → MqttClientException")
    void connectTwice() throws Exception {
        Client client = Client.create(options().build());
        fake.connect(client);
        assertThrows(IllegalStateException.class, () -> client.connect(fake.url()));
        client.close();
        assertThrows(MqttClientException.class, () -> client.connect(fake.url()));
    }
}
