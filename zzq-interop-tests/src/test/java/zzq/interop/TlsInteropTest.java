package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.engine.ReconnectPolicy;
import zzq.engine.Subscription;
import zzq.testkit.TestCertificates;
import zzq.transport.tls.TlsOptions;
import zzq.transport.tls.TlsOptions.ClientAuth;

/**
 * mqtts:// with real peers built on OpenSSL: mosquitto_pub and mosquitto_sub against a zzq broker (server
 * certificate, client certificates, TLS 1.2, refusals), {@code openssl s_client} for what the zzq listener
 * negotiates, and the zzq client against a Mosquitto broker with TLS and {@code require_certificate}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsInteropTest {
    static final TestCertificates certs = TestCertificates.shared();

    private static String ca() {
        return certs.caCert().toString();
    }

    /** mosquitto's tools against a zzq broker on mqtts://127.0.0.1:0. */
    @Nested
    class ZzqBroker {
        private Broker broker;
        private int port;
        /** The transport identity of every CONNECT ("" for none). */
        private final LinkedBlockingQueue<String> identities = new LinkedBlockingQueue<>();
        private final LinkedBlockingQueue<MonitorEvent.HandshakeFailed> failures = new LinkedBlockingQueue<>();

        private void start(TransportOptions tls) {
            broker = Broker.start(BrokerOptions.builder().authenticator(request -> {
                identities.add(request.transportIdentity() == null ? "" : request.transportIdentity());
                return null;
            }).build());
            broker.onMonitorEvent(e -> {
                if (e instanceof MonitorEvent.HandshakeFailed f) {
                    failures.add(f);
                }
            });
            port = broker.bind("mqtts://127.0.0.1:0", tls).port();
        }

        private TransportOptions server() {
            return TransportOptions.NONE.with(TlsOptions.CERT_FILE, certs.serverCert())
                    .with(TlsOptions.KEY_FILE, certs.serverKey());
        }

        private TransportOptions mutual() {
            return server().with(TlsOptions.CA_FILE, certs.caCert()).with(TlsOptions.CLIENT_AUTH, ClientAuth.REQUIRE);
        }

        @AfterEach
        void stop() {
            if (broker != null) {
                broker.close();
            }
        }

        /** mosquitto_sub waits for one message that mosquitto_pub sends, both with {@code tls}. */
        private void pubSub(String... tls) throws Exception {
            for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
                String[] subArgs = concat(tls, "-V", Mosquitto.version(v), "-t", "tls/t", "-q", "1", "-C", "1");
                try (Mosquitto.Sub sub = Mosquitto.sub(port, subArgs)) {
                    Mosquitto.pubOk(port, concat(tls, "-V", Mosquitto.version(v), "-t", "tls/t", "-m",
                            "over mqtts " + v, "-q", "1"));
                    Mosquitto.Received m = sub.next();
                    assertEquals("over mqtts " + v, m.text());
                    assertEquals(0, sub.awaitExit(), sub.output());
                }
            }
        }

        @Test
        void mosquittoToolsWithCafile() throws Exception {
            start(server());
            pubSub("--cafile", ca());
        }

        @Test
        void mosquittoToolsByHostName() throws Exception {
            start(server());
            // the certificate names localhost too: the tools check it against -h localhost
            Mosquitto.Result r = Mosquitto.run(List.of(Mosquitto.PUB, "-h", TestCertificates.SERVER_HOST, "-p",
                    Integer.toString(port), "--cafile", ca(), "-t", "t", "-m", "by name"));
            assertEquals(0, r.exit(), r.output());
        }

        @Test
        void mosquittoToolsOverTls12() throws Exception {
            start(server().with(TlsOptions.PROTOCOLS, "TLSv1.2"));
            pubSub("--cafile", ca(), "--tls-version", "tlsv1.2");
        }

        @Test
        void mosquittoToolsWithClientCertificates() throws Exception {
            start(mutual());
            pubSub("--cafile", ca(), "--cert", certs.clientCert().toString(), "--key", certs.clientKey().toString());
            for (int i = 0; i < 4; i++) { // two subscribers and two publishers
                assertEquals(TestCertificates.CLIENT_SUBJECT, identities.poll(15, TimeUnit.SECONDS));
            }
        }

        /** mosquitto_pub with {@code args} is refused; the broker's HandshakeFailed says {@code why}. */
        private void refused(String why, String... args) throws Exception {
            Mosquitto.Result r = Mosquitto.pub(port, concat(args, "-t", "t", "-m", "x"));
            assertNotEquals(0, r.exit(), r.output());
            MonitorEvent.HandshakeFailed f = failures.poll(15, TimeUnit.SECONDS);
            assertTrue(f != null && f.detail().contains(why), String.valueOf(f));
            assertTrue(identities.isEmpty(), identities.toString());
        }

        @Test
        void mosquittoWithoutClientCertificateIsRefused() throws Exception {
            start(mutual());
            refused("TLS handshake", "--cafile", ca());
        }

        @Test
        void mosquittoWithAnUntrustedClientCertificateIsRefused() throws Exception {
            start(mutual());
            // OpenSSL presents its certificate whatever CAs the server names: the listener checks it and says why
            refused("certificate not trusted", "--cafile", ca(), "--cert", certs.untrustedClientCert().toString(),
                    "--key", certs.untrustedClientKey().toString());
        }

        @Test
        void mosquittoRefusesAnUntrustedBroker() throws Exception {
            start(TransportOptions.NONE.with(TlsOptions.CERT_FILE, certs.untrustedServerCert())
                    .with(TlsOptions.KEY_FILE, certs.untrustedServerKey()));
            refused("the peer did not accept the certificate", "--cafile", ca());
        }

        @Test
        void opensslNegotiatesTls13WithChaCha20() throws Exception {
            start(server());
            Mosquitto.Result r = Mosquitto.run(List.of("/usr/bin/openssl", "s_client", "-connect",
                    "127.0.0.1:" + port, "-CAfile", ca(), "-verify_return_error", "-brief"));
            assertTrue(r.output().contains("Protocol version: TLSv1.3"), r.output());
            assertTrue(r.output().contains("Ciphersuite: TLS_CHACHA20_POLY1305_SHA256"), r.output());
            assertTrue(r.output().contains("Verification: OK"), r.output());
        }
    }

    /** The zzq client against a Mosquitto broker with TLS. */
    @Nested
    class MosquittoBrokerWithTls {
        @RegisterExtension
        final MosquittoBroker mosquitto = new MosquittoBroker();

        private String start(boolean requireCertificate) {
            MosquittoBroker.Config c = MosquittoBroker.config().set("cafile", certs.caCert())
                    .set("certfile", certs.serverCert()).set("keyfile", certs.serverKey());
            if (requireCertificate) {
                c.set("require_certificate", "true").set("use_identity_as_username", "true");
            }
            mosquitto.start(c);
            return "mqtts://127.0.0.1:" + mosquitto.port();
        }

        private static ClientOptions client(TransportOptions tls, MqttVersion v) {
            return ZzqClients.options(v, "zzq-tls-" + v).transportOptions(tls).reconnect(ReconnectPolicy.NEVER)
                    .build();
        }

        private static TransportOptions withCertificate() {
            return TransportOptions.NONE.with(TlsOptions.CA_FILE, certs.caCert())
                    .with(TlsOptions.CERT_FILE, certs.clientCert()).with(TlsOptions.KEY_FILE, certs.clientKey());
        }

        private static void roundTrip(String url, TransportOptions tls) throws Exception {
            for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
                try (Client c = Client.connect(url, client(tls, v))) {
                    Subscription s = c.subscribe("tls/#", QoS.EXACTLY_ONCE);
                    for (QoS q : QoS.values()) {
                        c.publish("tls/" + q.value(), ("via mosquitto " + q).getBytes(), q, false);
                        ApplicationMessage m = ZzqClients.next(s);
                        assertEquals("via mosquitto " + q, m.payloadAsString());
                    }
                }
            }
        }

        @Test
        void zzqClientWithCafile() throws Exception {
            roundTrip(start(false), TransportOptions.NONE.with(TlsOptions.CA_FILE, certs.caCert()));
        }

        @Test
        void zzqClientWithItsCertificateWhereMosquittoRequiresOne() throws Exception {
            roundTrip(start(true), withCertificate());
        }

        @Test
        void zzqClientOverTls12() throws Exception {
            roundTrip(start(false), TransportOptions.NONE.with(TlsOptions.CA_FILE, certs.caCert())
                    .with(TlsOptions.PROTOCOLS, "TLSv1.2"));
        }

        @Test
        void zzqClientWithoutCertificateWhereMosquittoRequiresOne() {
            String url = start(true);
            MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(url,
                    client(TransportOptions.NONE.with(TlsOptions.CA_FILE, certs.caCert()), MqttVersion.V5)));
            // OpenSSL's alert is often lost to the reset of the unread CONNECT; the client knows it was asked
            assertTrue(e.getMessage().contains("TLS with " + url + " failed: ")
                    && e.getMessage().contains("client certificate"), e.getMessage());
        }

        @Test
        void zzqClientRefusesMosquittoOfAnUntrustedCa() {
            String url = start(false);
            MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(url,
                    client(TransportOptions.NONE.with(TlsOptions.CA_FILE, certs.untrustedCaCert()), MqttVersion.V5)));
            assertTrue(e.getMessage().contains("TLS handshake with " + url + " failed: certificate not trusted"),
                    e.getMessage());
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
