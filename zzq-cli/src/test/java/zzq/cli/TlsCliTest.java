package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.engine.Broker;
import zzq.testkit.TestCertificates;

/**
 * {@code zzq broker --bind mqtts://...} with {@code zzq pub} and {@code zzq sub} over TLS, in process: the server
 * certificate, a client certificate required by the broker, the exit codes of a bad file and of an untrusted
 * broker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsCliTest {
    static final TestCertificates certs = TestCertificates.shared();

    private final List<Broker> brokers = new ArrayList<>();

    @AfterEach
    void closeBrokers() {
        brokers.forEach(Broker::close);
    }

    /** {@code zzq broker --bind mqtts://127.0.0.1:0 --cert ... --key ... MORE}; returns the real port. */
    private int broker(String... more) throws CommandException {
        List<String> args = new ArrayList<>(List.of("--bind", "mqtts://127.0.0.1:0",
                "--cert", certs.serverCert().toString(), "--key", certs.serverKey().toString()));
        args.addAll(List.of(more));
        Broker b = BrokerCommand.start(BrokerCommandTest.settings(args.toArray(String[]::new)));
        brokers.add(b);
        return b.endpoints().get(0).port();
    }

    private static String[] at(int port, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"-h", "127.0.0.1", "-p", Integer.toString(port)}, 0, all, args.length, 4);
        return all;
    }

    /** zzq sub -C 1 waits, zzq pub sends; the message comes out of zzq sub. */
    private static void pubSub(int port, String... tls) throws Exception {
        List<String> subArgs = new ArrayList<>(List.of("sub", "-t", "tls/t", "-C", "1", "-d"));
        subArgs.addAll(List.of(tls));
        try (CliRun sub = CliRun.start(at(port, subArgs.toArray(String[]::new)))) {
            sub.awaitErr(e -> e.contains("zzq sub: subscribed: ") || !sub.isRunning());
            List<String> pubArgs = new ArrayList<>(List.of("pub", "-t", "tls/t", "-m", "over tls", "-q", "1"));
            pubArgs.addAll(List.of(tls));
            CliRun pub = CliRun.run("", at(port, pubArgs.toArray(String[]::new)));
            assertEquals(0, pub.awaitExit(), pub.err());
            assertEquals(0, sub.awaitExit(), sub.err());
            assertEquals("over tls\n", sub.out());
        }
    }

    @Test
    void pubAndSubWithCafile() throws Exception {
        pubSub(broker(), "--cafile", certs.caCert().toString());
    }

    @Test
    void pubAndSubWithClientCertificates() throws Exception {
        int port = broker("--cafile", certs.caCert().toString(), "--require-certificate", "--tls-version",
                "tlsv1.2");
        pubSub(port, "--cafile", certs.caCert().toString(), "--cert", certs.clientCert().toString(),
                "--key", certs.clientKey().toString(), "--tls-version", "tlsv1.2");
    }

    @Test
    void encryptedBrokerKeyWithPassword() throws Exception {
        List<String> args = List.of("--bind", "mqtts://127.0.0.1:0", "--cert", certs.serverCert().toString(),
                "--key", certs.serverKeyEncryptedPkcs8().toString(), "--key-password", TestCertificates.KEY_PASSWORD);
        Broker b = BrokerCommand.start(BrokerCommandTest.settings(args.toArray(String[]::new)));
        brokers.add(b);
        pubSub(b.endpoints().get(0).port(), "--cafile", certs.caCert().toString());
    }

    @Test
    void badKeyFileFailsTheBrokerNamingIt() {
        CommandException e = assertThrows(CommandException.class, () -> BrokerCommand.start(
                BrokerCommandTest.settings("--bind", "mqtts://127.0.0.1:0", "--cert", certs.serverCert().toString(),
                        "--key", certs.clientKey().toString())));
        assertEquals(CommandException.FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains(certs.clientKey().toString()) && e.getMessage().contains("does not match"),
                e.getMessage());
    }

    @Test
    void untrustedBrokerExits1SayingWhy() throws Exception {
        int port = broker();
        CliRun pub = CliRun.run("", at(port, "pub", "-t", "t", "-m", "x"));
        // no --cafile: not TLS at all, plain MQTT against a TLS listener
        assertEquals(1, pub.awaitExit(), pub.err());
        CliRun tls = CliRun.run("", at(port, "pub", "-t", "t", "-m", "x", "--cafile",
                certs.untrustedCaCert().toString()));
        assertEquals(1, tls.awaitExit(), tls.err());
        assertTrue(tls.err().contains("TLS handshake with mqtts://127.0.0.1:" + port + " failed: certificate not "
                + "trusted"), tls.err());
    }

    @Test
    void insecureTrustsTheUnknownBroker() throws Exception {
        pubSub(broker(), "--insecure");
    }
}
