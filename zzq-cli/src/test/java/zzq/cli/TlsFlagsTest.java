package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import zzq.api.spi.TransportOptions;
import zzq.transport.tls.TlsOptions;

/**
 * The TLS flags, as Mosquitto names them, → {@link TlsOptions}: {@code zzq broker}'s for its mqtts:// binds, and
 * {@code zzq pub}/{@code zzq sub}'s, which also switch the client to mqtts:// on port 8883; every usage error.
 */
class TlsFlagsTest {
    private static String usageError(CommandException e) {
        assertEquals(CommandException.USAGE, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    @Nested
    class Broker {
        private String usageError(String... args) {
            return TlsFlagsTest.usageError(assertThrows(CommandException.class,
                    () -> BrokerCommandTest.settings(args)));
        }

        @Test
        void mqttsBindTakesTheFiles() throws CommandException {
            BrokerCommand.Settings s = BrokerCommandTest.settings("--bind", "mqtts://0.0.0.0:8883",
                    "--bind", "mqtt://127.0.0.1:1883", "--cert", "server.crt", "--key", "server.key",
                    "--key-password", "pw", "--cafile", "ca.crt", "--require-certificate",
                    "--tls-version", "tlsv1.2");
            TransportOptions tls = s.transportOptions("mqtts://0.0.0.0:8883");
            assertEquals(Optional.of(Path.of("server.crt")), tls.get(TlsOptions.CERT_FILE));
            assertEquals(Optional.of(Path.of("server.key")), tls.get(TlsOptions.KEY_FILE));
            assertEquals(Optional.of("pw"), tls.get(TlsOptions.KEY_PASSWORD));
            assertEquals(Optional.of(Path.of("ca.crt")), tls.get(TlsOptions.CA_FILE));
            assertEquals(Optional.of(TlsOptions.ClientAuth.REQUIRE), tls.get(TlsOptions.CLIENT_AUTH));
            assertEquals(Optional.of("TLSv1.2"), tls.get(TlsOptions.PROTOCOLS));
            // a plain bind gets none of them (its transport would refuse them)
            assertSame(TransportOptions.NONE, s.transportOptions("mqtt://127.0.0.1:1883"));
        }

        @Test
        void mqttsBindWithoutCertificateOrKey() {
            assertTrue(usageError("--bind", "mqtts://0.0.0.0:8883").contains("needs --cert and --key"));
            assertTrue(usageError("--bind", "mqtts://0.0.0.0:8883", "--cert", "a.crt").contains("--key"));
        }

        @Test
        void tlsFlagsWithoutATlsBind() {
            assertTrue(usageError("--cert", "a.crt", "--key", "a.key").contains("no --bind is one"));
        }

        @Test
        void requireCertificateWithoutCafile() {
            assertTrue(usageError("--bind", "mqtts://0.0.0.0:8883", "--cert", "a.crt", "--key", "a.key",
                    "--require-certificate").contains("--require-certificate needs --cafile"));
        }

        @Test
        void keyPasswordWithoutKey() {
            assertTrue(usageError("--bind", "mqtts://0.0.0.0:8883", "--cert", "a.crt", "--key-password", "x")
                    .contains("--key"));
        }

        @Test
        void unknownTlsVersion() {
            assertTrue(usageError("--bind", "mqtts://0.0.0.0:8883", "--cert", "a.crt", "--key", "a.key",
                    "--tls-version", "tlsv1.1").contains("--tls-version must be tlsv1.3 or tlsv1.2"));
        }
    }

    @Nested
    class Client {
        private ClientFlags.Settings client(String... args) throws CommandException {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "-t";
            all[args.length + 1] = "t";
            return SubCommand.settings(Args.parse(SubCommand.FLAGS, List.of(all))).client();
        }

        private String usageError(String... args) {
            return TlsFlagsTest.usageError(assertThrows(CommandException.class, () -> client(args)));
        }

        @Test
        void cafileMeansMqttsOn8883() throws CommandException {
            ClientFlags.Settings s = client("--cafile", "ca.crt", "-h", "broker.example");
            assertEquals("mqtts://broker.example:8883", s.url());
            TransportOptions tls = s.options().transportOptions();
            assertEquals(Optional.of(Path.of("ca.crt")), tls.get(TlsOptions.CA_FILE));
            assertFalse(tls.get(TlsOptions.INSECURE).isPresent());
            assertFalse(tls.get(TlsOptions.VERIFY_HOSTNAME).isPresent());
        }

        @Test
        void clientCertificateAndVersionAndPort() throws CommandException {
            ClientFlags.Settings s = client("--cafile", "ca.crt", "--cert", "c.crt", "--key", "c.key",
                    "--tls-version", "tlsv1.2,tlsv1.3", "-p", "18883");
            assertEquals("mqtts://localhost:18883", s.url());
            TransportOptions tls = s.options().transportOptions();
            assertEquals(Optional.of(Path.of("c.crt")), tls.get(TlsOptions.CERT_FILE));
            assertEquals(Optional.of(Path.of("c.key")), tls.get(TlsOptions.KEY_FILE));
            assertEquals(Optional.of("TLSv1.2,TLSv1.3"), tls.get(TlsOptions.PROTOCOLS));
        }

        @Test
        void insecureWithCafileSkipsTheHostNameOnly() throws CommandException {
            TransportOptions tls = client("--cafile", "ca.crt", "--insecure").options().transportOptions();
            assertEquals(Optional.of(false), tls.get(TlsOptions.VERIFY_HOSTNAME));
            assertFalse(tls.get(TlsOptions.INSECURE).isPresent());
        }

        @Test
        void insecureAloneTrustsAnything() throws CommandException {
            ClientFlags.Settings s = client("--insecure");
            assertEquals("mqtts://localhost:8883", s.url());
            assertEquals(Optional.of(true), s.options().transportOptions().get(TlsOptions.INSECURE));
        }

        @Test
        void mqttsUrlWithoutFlagsTrustsTheJvmsCas() throws CommandException {
            ClientFlags.Settings s = client("-L", "mqtts://broker.example/t");
            assertEquals("mqtts://broker.example", s.url());
            assertTrue(s.options().transportOptions().options().isEmpty());
        }

        @Test
        void plainUrlWithTlsFlags() {
            assertTrue(usageError("-L", "mqtt://broker.example/t", "--cafile", "ca.crt")
                    .contains("write mqtts://"));
        }

        @Test
        void certificateWithoutKey() {
            assertTrue(usageError("--cafile", "ca.crt", "--cert", "c.crt").contains("both --cert and --key"));
        }

        @Test
        void plainByDefault() throws CommandException {
            ClientFlags.Settings s = client();
            assertEquals("mqtt://localhost:1883", s.url());
            assertTrue(s.options().transportOptions().options().isEmpty());
        }
    }
}
