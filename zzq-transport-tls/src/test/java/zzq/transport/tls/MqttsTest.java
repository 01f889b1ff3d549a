package zzq.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Subscription;
import zzq.testkit.TestCertificates;

/**
 * A zzq broker over mqtts:// with zzq clients and with the JDK's own TLS client: messages at every QoS in 5.0 and
 * 3.1.1; TLS 1.3 with ChaCha20-Poly1305 chosen by the server's order; TLS 1.2 by option; every key file format.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttsTest {
    static final TestCertificates certs = TestCertificates.shared();

    @RegisterExtension
    final TlsFixture broker = new TlsFixture();

    @Test
    void servesMqttsOn8883() {
        assertEquals(java.util.Set.of("mqtts"), new TlsTransport().schemes());
        assertEquals(8883, new TlsTransport().defaultPort("mqtts"));
    }

    @Test
    void messagesFlowOverTlsInBothVersions() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs));
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            ClientOptions o = ClientOptions.builder().version(v).transportOptions(TlsFixture.trusting(certs)).build();
            try (Client sub = Client.connect(at.toString(), o); Client pub = Client.connect(at.toString(), o)) {
                Subscription s = sub.subscribe("a/#", QoS.EXACTLY_ONCE);
                for (QoS q : QoS.values()) {
                    pub.publish("a/" + q.value(), ("m" + q.value()).getBytes(), q, false);
                    ApplicationMessage m = s.receive(Duration.ofSeconds(5));
                    assertNotNull(m, "QoS " + q + " in " + v);
                    assertEquals("m" + q.value(), m.payloadAsString());
                }
                // a payload larger than a TLS record (16 KiB) arrives whole
                byte[] big = new byte[100_000];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) (i * 31);
                }
                pub.publish("a/big", big, QoS.AT_LEAST_ONCE, false);
                ApplicationMessage m = s.receive(Duration.ofSeconds(5));
                assertNotNull(m);
                assertTrue(java.util.Arrays.equals(big, m.payloadAsBytes()), "the large payload arrives intact");
            }
        }
    }

    @Test
    void tls13WithChaCha20FirstEvenForAClientThatPrefersAes() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs));
        // SunJSSE lists TLS_AES_256_GCM_SHA384 first; the listener's order puts ChaCha20-Poly1305 first and wins
        SSLSession session = JdkTlsClient.handshake(at, certs.caCert(), "TLSv1.2", "TLSv1.3");
        assertEquals("TLSv1.3", session.getProtocol());
        assertEquals("TLS_CHACHA20_POLY1305_SHA256", session.getCipherSuite());
    }

    @Test
    void tls12ByOption() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs).with(TlsOptions.PROTOCOLS, "TLSv1.2"));
        SSLSession session = JdkTlsClient.handshake(at, certs.caCert(), "TLSv1.2", "TLSv1.3");
        assertEquals("TLSv1.2", session.getProtocol());
        assertEquals("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", session.getCipherSuite());
        // and a zzq client that allows TLS 1.2 gets on
        roundTrip(at, TlsFixture.trusting(certs).with(TlsOptions.PROTOCOLS, "tlsv1.2,tlsv1.3"));
    }

    @Test
    void encryptedPkcs8Key() throws Exception {
        roundTripWith(certs.serverCert(), certs.serverKeyEncryptedPkcs8(), TestCertificates.KEY_PASSWORD);
    }

    @Test
    void encryptedTraditionalOpenSslKey() throws Exception {
        roundTripWith(certs.serverCert(), certs.serverKeyEncryptedTraditional(), TestCertificates.KEY_PASSWORD);
    }

    @Test
    void rsaKeyInTraditionalFormat() throws Exception {
        roundTripWith(certs.rsaServerCert(), certs.rsaServerKey(), null);
    }

    @Test
    void certificateChainFile() throws Exception {
        roundTripWith(certs.serverChain(), certs.serverKey(), null);
    }

    @Test
    void hostNameInTheCertificateVerifies() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs));
        roundTrip(new Endpoint("mqtts", TestCertificates.SERVER_HOST, at.port(), ""), TlsFixture.trusting(certs));
    }

    @Test
    void ipv6LoopbackVerifiesAgainstTheIpv6AddressInTheCertificate() throws Exception {
        broker.start(TlsFixture.server(certs)); // and a second listener on [::1]
        Endpoint at = broker.broker().bind("mqtts://[::1]:0", TlsFixture.server(certs));
        roundTrip(at, TlsFixture.trusting(certs));
    }

    @Test
    void readyContextsInsteadOfFiles() throws Exception {
        // the listener's from BouncyCastle, the client's from the JDK's SunJSSE: any SSLContext will do
        Endpoint at = broker.start(TransportOptions.NONE.with(TlsOptions.SSL_CONTEXT,
                TlsConfig.server(TlsFixture.server(certs)).context));
        roundTrip(at, TransportOptions.NONE.with(TlsOptions.SSL_CONTEXT, JdkTlsClient.trusting(certs.caCert())));
    }

    private void roundTripWith(Path cert, Path key, String password) throws Exception {
        TransportOptions tls = TransportOptions.NONE.with(TlsOptions.CERT_FILE, cert).with(TlsOptions.KEY_FILE, key);
        if (password != null) {
            tls = tls.with(TlsOptions.KEY_PASSWORD, password);
        }
        roundTrip(broker.start(tls), TlsFixture.trusting(certs));
    }

    /** One client subscribes and publishes to itself over {@code at}. */
    static void roundTrip(Endpoint at, TransportOptions clientTls) throws Exception {
        try (Client c = Client.connect(at.toString(), ClientOptions.builder().transportOptions(clientTls).build())) {
            Subscription s = c.subscribe("t", QoS.AT_LEAST_ONCE);
            c.publish("t", "hello".getBytes(), QoS.AT_LEAST_ONCE, false);
            ApplicationMessage m = s.receive(Duration.ofSeconds(5));
            assertNotNull(m, "the message came back over " + at);
            assertEquals("hello", m.payloadAsString());
        }
    }
}
