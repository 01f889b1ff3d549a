package zzq.transport.tls;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MqttClientException;
import zzq.engine.ReconnectPolicy;
import zzq.testkit.TestCertificates;
import zzq.transport.tls.TlsOptions.ClientAuth;

/**
 * Bad TLS settings fail the bind (or the client's connect) at once, with a message that names the file or option
 * and what is wrong: a missing or unreadable file, no PEM, a bad PEM, a missing or wrong password, a key that is
 * not the certificate's, contradictory options.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsSettingsTest {
    static final TestCertificates certs = TestCertificates.shared();
    /** Where the bad files go. */
    @TempDir
    static Path dir;

    private static TransportOptions server(Path cert, Path key) {
        return TransportOptions.NONE.with(TlsOptions.CERT_FILE, cert).with(TlsOptions.KEY_FILE, key);
    }

    /** The exception of {@code bad}, whose message must contain every one of {@code parts}. */
    private static <T extends Throwable> T fails(Class<T> type, Executable bad, String... parts) {
        T e = assertThrows(type, bad);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
        return e;
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Nested
    class AtBind {
        @Test
        void missingCertificateFile() {
            Path missing = dir.resolve("no-such.crt");
            try (Broker b = Broker.start(BrokerOptions.DEFAULTS)) {
                fails(UncheckedIOException.class, () -> b.bind("mqtts://127.0.0.1:0",
                        server(missing, certs.serverKey())), "cannot bind mqtts://127.0.0.1:0",
                        "the certificate file (CERT_FILE) " + missing, "does not exist");
            }
        }

        @Test
        void wrongPasswordThroughTheBroker() {
            try (Broker b = Broker.start(BrokerOptions.DEFAULTS)) {
                fails(IllegalArgumentException.class, () -> b.bind("mqtts://127.0.0.1:0",
                        server(certs.serverCert(), certs.serverKeyEncryptedPkcs8())
                                .with(TlsOptions.KEY_PASSWORD, "not the password")),
                        certs.serverKeyEncryptedPkcs8().toString(), "wrong password");
            }
        }
    }

    @Nested
    class FileContents {
        @Test
        void missingKeyFile() {
            Path missing = dir.resolve("no-such.key");
            fails(IOException.class, () -> TlsHandlers.checkServer(server(certs.serverCert(), missing)),
                    "the key file (KEY_FILE) " + missing, "does not exist");
        }

        @Test
        void directoryInsteadOfAFile() {
            fails(IOException.class, () -> TlsHandlers.checkServer(server(dir, certs.serverKey())),
                    dir.toString(), "is a directory");
        }

        @Test
        void textThatIsNotPem() throws IOException {
            Path junk = write("junk.crt", "this is not a certificate\n");
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(server(junk, certs.serverKey())),
                    junk.toString(), "holds no PEM data");
        }

        @Test
        void brokenPemBody() throws IOException {
            Path broken = write("broken.crt", "-----BEGIN CERTIFICATE-----\nMIIB!!!!not base64\n"
                    + "-----END CERTIFICATE-----\n");
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(server(broken, certs.serverKey())),
                    broken.toString(), "not valid PEM");
        }

        @Test
        void keyWhereTheCertificateBelongs() {
            fails(IllegalArgumentException.class,
                    () -> TlsHandlers.checkServer(server(certs.serverKey(), certs.serverKey())),
                    "the certificate file (CERT_FILE) " + certs.serverKey(), "holds no PEM certificate");
        }

        @Test
        void certificateWhereTheKeyBelongs() {
            fails(IllegalArgumentException.class,
                    () -> TlsHandlers.checkServer(server(certs.serverCert(), certs.serverCert())),
                    "the key file (KEY_FILE) " + certs.serverCert(), "holds no PEM private key");
        }

        @Test
        void keyOfAnotherCertificate() {
            fails(IllegalArgumentException.class,
                    () -> TlsHandlers.checkServer(server(certs.serverCert(), certs.clientKey())),
                    certs.clientKey().toString(), "does not match", certs.serverCert().toString());
        }

        @Test
        void rsaKeyForAnEcCertificate() {
            fails(IllegalArgumentException.class,
                    () -> TlsHandlers.checkServer(server(certs.serverCert(), certs.rsaServerKey())),
                    "does not match");
        }
    }

    @Nested
    class Passwords {
        @Test
        void encryptedKeyWithoutPassword() {
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    server(certs.serverCert(), certs.serverKeyEncryptedPkcs8())),
                    certs.serverKeyEncryptedPkcs8().toString(), "encrypted", "KEY_PASSWORD");
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    server(certs.serverCert(), certs.serverKeyEncryptedTraditional())),
                    certs.serverKeyEncryptedTraditional().toString(), "encrypted", "KEY_PASSWORD");
        }

        @Test
        void wrongPassword() {
            for (Path key : new Path[] {certs.serverKeyEncryptedPkcs8(), certs.serverKeyEncryptedTraditional()}) {
                fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                        server(certs.serverCert(), key).with(TlsOptions.KEY_PASSWORD, "wrong")),
                        key.toString(), "could not be decrypted", "wrong password");
            }
        }

        @Test
        void aPasswordForAPlainKeyIsIgnored() throws IOException {
            TlsHandlers.checkServer(server(certs.serverCert(), certs.serverKey())
                    .with(TlsOptions.KEY_PASSWORD, "whatever"));
        }
    }

    @Nested
    class Options {
        @Test
        void listenerWithoutCertificateOrKey() {
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(TransportOptions.NONE),
                    "CERT_FILE and KEY_FILE");
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    TransportOptions.NONE.with(TlsOptions.CERT_FILE, certs.serverCert())), "KEY_FILE is missing");
        }

        @Test
        void clientAuthWithoutCa() {
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    TlsFixture.server(certs).with(TlsOptions.CLIENT_AUTH, ClientAuth.REQUIRE)), "CA_FILE");
        }

        @Test
        void contextAndFilesTogether() throws Exception {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getDefault();
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    TlsFixture.server(certs).with(TlsOptions.SSL_CONTEXT, context)), "SSL_CONTEXT", "not both");
        }

        @Test
        void unknownProtocol() {
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    TlsFixture.server(certs).with(TlsOptions.PROTOCOLS, "TLSv1.1")), "TLSv1.1", "TLSv1.2",
                    "TLSv1.3");
        }

        @Test
        void nonPositiveByteLimit() {
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkServer(
                    TlsFixture.server(certs).with(TlsOptions.MAX_BYTES, 0L)), "MAX_BYTES");
        }

        @Test
        void clientCertificateWithoutKey() {
            fails(IllegalArgumentException.class, () -> TlsHandlers.checkClient(
                    TlsFixture.trusting(certs).with(TlsOptions.CERT_FILE, certs.clientCert())),
                    "KEY_FILE is missing");
        }
    }

    @Nested
    class AtConnect {
        @RegisterExtension
        final TlsFixture broker = new TlsFixture();

        @Test
        void missingCaFileFailsTheConnectNamingIt() {
            Endpoint at = broker.start(TlsFixture.server(certs));
            Path missing = dir.resolve("no-such-ca.crt");
            fails(MqttClientException.class, () -> Client.connect(at.toString(), ClientOptions.builder()
                    .transportOptions(TransportOptions.NONE.with(TlsOptions.CA_FILE, missing))
                    .reconnect(ReconnectPolicy.NEVER).build()), "the CA file (CA_FILE) " + missing,
                    "does not exist");
        }

        @Test
        void wrongClientKeyPasswordFailsTheConnect() {
            Endpoint at = broker.start(TlsFixture.server(certs));
            fails(MqttClientException.class, () -> Client.connect(at.toString(), ClientOptions.builder()
                    .transportOptions(TlsFixture.trusting(certs).with(TlsOptions.CERT_FILE, certs.serverCert())
                            .with(TlsOptions.KEY_FILE, certs.serverKeyEncryptedTraditional())
                            .with(TlsOptions.KEY_PASSWORD, "wrong"))
                    .reconnect(ReconnectPolicy.NEVER).build()), "wrong password");
        }
    }
}
