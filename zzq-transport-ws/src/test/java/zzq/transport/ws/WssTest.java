package zzq.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MqttClientException;
import zzq.engine.Subscription;
import zzq.testkit.TestCertificates;
import zzq.transport.tls.TlsOptions;

/**
 * {@code wss://}: WebSockets over the TLS of zzq-transport-tls, between the zzq Broker and Client: default port 443,
 * messages both ways with the listener's path kept, mutual TLS whose client identity reaches the authentication
 * hook, and the clear errors of a bind without TLS settings and of an untrusted certificate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WssTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TestCertificates certs = TestCertificates.shared();
    private Broker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TransportOptions serverTls() {
        return TransportOptions.NONE.with(TlsOptions.CERT_FILE, certs.serverCert())
                .with(TlsOptions.KEY_FILE, certs.serverKey());
    }

    private static ClientOptions trusting() {
        return ClientOptions.builder().transportOptions(TransportOptions.NONE
                .with(TlsOptions.CA_FILE, certs.caCert())).connectTimeout(WAIT).build();
    }

    @Test
    void servesWssOn443ByDefault() {
        WsTransport t = new WsTransport();
        assertTrue(t.schemes().contains("wss"));
        assertEquals(443, t.defaultPort("wss"));
        assertEquals(80, t.defaultPort("ws"));
        assertTrue(t.supportedOptions().containsAll(TlsOptions.ALL), "wss takes the TLS options");
    }

    @Test
    @DisplayName("the zzq Client and Broker over wss://: a QoS 1 and a QoS 2 message through the broker")
    void messagesOverWss() throws Exception {
        broker = Broker.start(BrokerOptions.DEFAULTS);
        Endpoint at = broker.bind("wss://127.0.0.1:0/mqtt", serverTls());
        assertEquals("wss", at.scheme());
        assertEquals("/mqtt", at.path());
        // the certificate names localhost and 127.0.0.1: the host name is verified, as by default
        String url = "wss://localhost:" + at.port() + "/mqtt";
        try (Client sub = Client.connect(url, trusting()); Client pub = Client.connect(url, trusting())) {
            Subscription s = sub.subscribe("secure/#", QoS.EXACTLY_ONCE);
            pub.publish("secure/1", "one".getBytes(), QoS.AT_LEAST_ONCE, false);
            pub.publish("secure/2", "two".getBytes(), QoS.EXACTLY_ONCE, false);
            ApplicationMessage one = s.receive(WAIT);
            ApplicationMessage two = s.receive(WAIT);
            assertNotNull(one);
            assertNotNull(two);
            assertEquals("one", one.payloadAsString());
            assertEquals(QoS.EXACTLY_ONCE, two.qos());
        }
    }

    @Test
    @DisplayName("mutual TLS over wss://: the client certificate's subject reaches the authentication hook")
    void clientCertificateIdentity() throws Exception {
        CompletableFuture<String> identity = new CompletableFuture<>();
        broker = Broker.start(BrokerOptions.builder().authenticator(request -> {
            identity.complete(request.transportIdentity());
            return null; // accepted
        }).build());
        Endpoint at = broker.bind("wss://127.0.0.1:0/mqtt", serverTls()
                .with(TlsOptions.CA_FILE, certs.caCert())
                .with(TlsOptions.CLIENT_AUTH, TlsOptions.ClientAuth.REQUIRE));
        ClientOptions withCertificate = ClientOptions.builder().transportOptions(TransportOptions.NONE
                .with(TlsOptions.CA_FILE, certs.caCert())
                .with(TlsOptions.CERT_FILE, certs.clientCert())
                .with(TlsOptions.KEY_FILE, certs.clientKey())
                .with(WsOptions.HEADERS, java.util.Map.of("X-Test", "1"))).build();
        try (Client c = Client.connect(at.toString(), withCertificate)) {
            assertTrue(c.isConnected());
            assertEquals(TestCertificates.CLIENT_SUBJECT, identity.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    @DisplayName("a wss:// bind without TLS settings is refused at once, saying what is missing")
    void bindWithoutTlsSettings() {
        broker = Broker.start(BrokerOptions.DEFAULTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> broker.bind("wss://127.0.0.1:0/mqtt", TransportOptions.NONE));
        assertTrue(e.getMessage().contains("wss://") && e.getMessage().contains("CERT_FILE"), e.getMessage());
    }

    @Test
    @DisplayName("a client that does not trust the broker's certificate fails to connect, saying so")
    void untrustedCertificate() {
        broker = Broker.start(BrokerOptions.DEFAULTS);
        Endpoint at = broker.bind("wss://127.0.0.1:0/mqtt", serverTls());
        ClientOptions trustsOthers = ClientOptions.builder().transportOptions(TransportOptions.NONE
                .with(TlsOptions.CA_FILE, certs.untrustedCaCert())).connectTimeout(WAIT).build();
        MqttClientException e = assertThrows(MqttClientException.class,
                () -> Client.connect(at.toString(), trustsOthers));
        String all = e + " / " + e.getCause();
        assertTrue(all.contains("not trusted"), all);
    }
}
