package zzq.transport.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.ClientOptions;
import zzq.engine.Client;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.engine.ReconnectPolicy;
import zzq.testkit.TestCertificates;

/**
 * A failed TLS handshake fails the client's connect at once, with a message that says it was the TLS handshake and
 * why (an untrusted certificate, a certificate for another host, no protocol in common); the broker ends the
 * connection with a handshake failure event. The escape hatches, INSECURE and VERIFY_HOSTNAME off, let such a
 * broker in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeFailureTest {
    static final TestCertificates certs = TestCertificates.shared();

    @RegisterExtension
    final TlsFixture broker = new TlsFixture();

    private static TransportOptions serverWith(Path cert, Path key) {
        return TransportOptions.NONE.with(TlsOptions.CERT_FILE, cert).with(TlsOptions.KEY_FILE, key);
    }

    /** Connects once (no retries) and returns the failure's message, which must name the TLS handshake. */
    private static String failedConnect(Endpoint at, TransportOptions tls) {
        MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(at.toString(),
                ClientOptions.builder().transportOptions(tls).reconnect(ReconnectPolicy.NEVER).build()));
        assertTrue(e.getMessage().contains("TLS handshake with " + at + " failed: "), e.getMessage());
        return e.getMessage();
    }

    private void brokerSawTheHandshakeFail() throws InterruptedException {
        broker.await(MonitorEvent.HandshakeFailed.class, f -> f.detail().contains("TLS handshake with /127.0.0.1"));
    }

    /** A broker with this certificate fails a client that trusts the test CA, the client saying {@code why}. */
    private void refusedWith(Path cert, Path key, String why) throws Exception {
        Endpoint at = broker.start(serverWith(cert, key));
        String message = failedConnect(at, TlsFixture.trusting(certs));
        assertTrue(message.contains(why), message);
        brokerSawTheHandshakeFail();
    }

    @Test
    void certificateOfAnUntrustedCa() throws Exception {
        refusedWith(certs.untrustedServerCert(), certs.untrustedServerKey(), "certificate not trusted");
    }

    @Test
    void noCaFileMeansTheJvmsDefaultCasWhichDoNotKnowTheTestCa() {
        Endpoint at = broker.start(TlsFixture.server(certs));
        String why = failedConnect(at, TransportOptions.NONE);
        assertTrue(why.contains("certificate not trusted"), why);
    }

    @Test
    void certificateForAnotherHost() throws Exception {
        refusedWith(certs.otherHostCert(), certs.otherHostKey(), "does not name the host");
    }

    @Test
    void certificateForAnotherHostWithoutHostnameVerification() throws Exception {
        Endpoint at = broker.start(serverWith(certs.otherHostCert(), certs.otherHostKey()));
        MqttsTest.roundTrip(at, TlsFixture.trusting(certs).with(TlsOptions.VERIFY_HOSTNAME, false));
    }

    @Test
    void insecureTrustsAnyCertificate() throws Exception {
        Endpoint at = broker.start(serverWith(certs.untrustedServerCert(), certs.untrustedServerKey()));
        MqttsTest.roundTrip(at, TransportOptions.NONE.with(TlsOptions.INSECURE, true));
    }

    @Test
    void noProtocolInCommon() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs).with(TlsOptions.PROTOCOLS, "TLSv1.2"));
        String why = failedConnect(at, TlsFixture.trusting(certs)); // TLS 1.3 only, by default
        assertTrue(why.contains("no TLS protocol version in common"), why);
        brokerSawTheHandshakeFail();
    }

    @Test
    void plainMqttAgainstATlsListenerFailsTheHandshakeThere() throws Exception {
        Endpoint at = broker.start(TlsFixture.server(certs));
        try (java.net.Socket s = new java.net.Socket(at.host(), at.port())) {
            // a plain MQTT CONNECT where a TLS ClientHello belongs
            s.getOutputStream().write(new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
            s.setSoTimeout(10_000);
            try {
                while (s.getInputStream().read() >= 0) {
                    // the listener answers with an alert, then closes: read to the end
                }
            } catch (java.net.SocketException reset) {
                // or resets the connection, with the rest of our bytes unread: an end all the same
            }
        }
        broker.await(MonitorEvent.HandshakeFailed.class, f -> f.detail().contains("TLS handshake")
                && f.detail().contains("the peer does not speak TLS"));
    }

    @Test
    void tlsAgainstAListenerThatNeverAnswersIsBoundedByTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Endpoint at = Endpoint.parse("mqtts://127.0.0.1:" + silent.getLocalPort());
            MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(at.toString(),
                    ClientOptions.builder().transportOptions(TlsFixture.trusting(certs))
                            .connectTimeout(java.time.Duration.ofMillis(500)).reconnect(ReconnectPolicy.NEVER)
                            .build()));
            assertTrue(e.getMessage().contains("500 ms"), e.getMessage());
        }
    }
}
