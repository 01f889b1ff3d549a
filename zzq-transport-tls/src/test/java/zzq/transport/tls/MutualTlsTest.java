package zzq.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.api.spi.Authenticator;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.testkit.TestCertificates;
import zzq.transport.tls.TlsOptions.ClientAuth;

/**
 * Mutual TLS: a listener that requires (or accepts) client certificates verifies them against its CA, and the
 * verified certificate's subject reaches the broker's {@link Authenticator} as the transport identity.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutualTlsTest {
    static final TestCertificates certs = TestCertificates.shared();

    @RegisterExtension
    final TlsFixture broker = new TlsFixture();

    /** The transport identity of every CONNECT the broker authenticated ("" for none). */
    private final LinkedBlockingQueue<String> identities = new LinkedBlockingQueue<>();
    /** Records the identity; lets in only clients with one when the listener requires certificates. */
    private final Authenticator recording = request -> {
        identities.add(Optional.ofNullable(request.transportIdentity()).orElse(""));
        return null;
    };

    private Endpoint start(ClientAuth auth) {
        return broker.start(BrokerOptions.builder().authenticator(recording).build(), TlsFixture.mutual(certs, auth));
    }

    private static ClientOptions client(TransportOptions tls) {
        return ClientOptions.builder().transportOptions(tls).reconnect(zzq.engine.ReconnectPolicy.NEVER).build();
    }

    @Test
    void requiredCertificateIdentityReachesTheAuthenticator() throws Exception {
        Endpoint at = start(ClientAuth.REQUIRE);
        for (MqttVersion v : new MqttVersion[] {MqttVersion.V5, MqttVersion.V3_1_1}) {
            ClientOptions o = client(TlsFixture.withClientCertificate(certs)).toBuilder().version(v).build();
            try (Client c = Client.connect(at.toString(), o)) {
                assertTrue(c.isConnected());
            }
            assertEquals(TestCertificates.CLIENT_SUBJECT, identities.poll(10, TimeUnit.SECONDS), "in " + v);
        }
    }

    @Test
    void anAuthenticatorCanRefuseByIdentity() throws Exception {
        Endpoint at = broker.start(BrokerOptions.builder().authenticator(request ->
                        "CN=someone else".equals(request.transportIdentity()) ? null : ReasonCode.NOT_AUTHORIZED)
                .build(), TlsFixture.mutual(certs, ClientAuth.REQUIRE));
        zzq.engine.ConnectRefusedException e = assertThrows(zzq.engine.ConnectRefusedException.class,
                () -> Client.connect(at.toString(), client(TlsFixture.withClientCertificate(certs))));
        assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode());
    }

    @Test
    void requiredCertificateMissingIsRefusedByTls() throws Exception {
        Endpoint at = start(ClientAuth.REQUIRE);
        MqttClientException e = assertThrows(MqttClientException.class,
                () -> Client.connect(at.toString(), client(TlsFixture.trusting(certs))));
        assertTrue(e.getMessage().contains("TLS") && e.getMessage().contains("requires a client certificate"),
                e.getMessage());
        broker.await(MonitorEvent.HandshakeFailed.class, f -> f.detail().contains("TLS handshake"));
        assertTrue(identities.isEmpty(), "no CONNECT got through: " + identities);
    }

    @Test
    void requiredCertificateMissingOverTls12FailsTheHandshake() throws Exception {
        Endpoint at = broker.start(BrokerOptions.builder().authenticator(recording).build(),
                TlsFixture.mutual(certs, ClientAuth.REQUIRE).with(TlsOptions.PROTOCOLS, "TLSv1.2"));
        MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(at.toString(),
                client(TlsFixture.trusting(certs).with(TlsOptions.PROTOCOLS, "TLSv1.2"))));
        assertTrue(e.getMessage().contains("TLS handshake with " + at + " failed"), e.getMessage());
    }

    @Test
    void certificateOfAnotherCaIsRefused() throws Exception {
        Endpoint at = start(ClientAuth.REQUIRE);
        TransportOptions stranger = TlsFixture.trusting(certs).with(TlsOptions.CERT_FILE, certs.untrustedClientCert())
                .with(TlsOptions.KEY_FILE, certs.untrustedClientKey());
        MqttClientException e = assertThrows(MqttClientException.class,
                () -> Client.connect(at.toString(), client(stranger)));
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        MonitorEvent.HandshakeFailed failed = broker.await(MonitorEvent.HandshakeFailed.class,
                f -> f.detail().contains("TLS handshake"));
        // BouncyCastle's client offers no certificate that the listener's CA list rules out; others (OpenSSL) send it
        // and have it refused: either way, the listener says why
        assertTrue(failed.detail().contains("no certificate signed by a trusted CA")
                || failed.detail().contains("certificate not trusted"), failed.detail());
        assertTrue(identities.isEmpty(), "no CONNECT got through: " + identities);
    }

    @Test
    void optionalCertificateWithAndWithout() throws Exception {
        Endpoint at = start(ClientAuth.OPTIONAL);
        try (Client c = Client.connect(at.toString(), client(TlsFixture.withClientCertificate(certs)))) {
            assertEquals(TestCertificates.CLIENT_SUBJECT, identities.poll(10, TimeUnit.SECONDS));
        }
        try (Client c = Client.connect(at.toString(), client(TlsFixture.trusting(certs)))) {
            assertEquals("", identities.poll(10, TimeUnit.SECONDS), "no certificate, no identity");
        }
    }

    @Test
    void noIdentityWhenTheListenerDoesNotAsk() throws Exception {
        Endpoint at = broker.start(BrokerOptions.builder().authenticator(recording).build(),
                TlsFixture.server(certs));
        try (Client c = Client.connect(at.toString(), client(TlsFixture.withClientCertificate(certs)))) {
            assertEquals("", identities.poll(10, TimeUnit.SECONDS));
        }
        assertNull(identities.poll());
    }
}
