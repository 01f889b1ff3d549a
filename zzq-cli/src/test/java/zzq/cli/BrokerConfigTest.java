package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.api.spi.TransportOptions;
import zzq.engine.BrokerOptions;
import zzq.engine.auth.PasswordFile;
import zzq.transport.tls.TlsOptions;

/** {@code zzq broker -c FILE}: every setting of the file, flags over the file, and each bad file's message. */
class BrokerConfigTest {
    @TempDir
    Path dir;

    private Path config(String... lines) throws IOException {
        return Files.writeString(dir.resolve("zzq.conf"), String.join("\n", lines) + "\n");
    }

    private BrokerCommand.Settings settings(Path file, String... flags) throws CommandException {
        List<String> args = new ArrayList<>(List.of("-c", file.toString()));
        args.addAll(List.of(flags));
        return BrokerCommand.settings(Args.parse(BrokerCommand.FLAGS, args));
    }

    /** The failure's message, after checking that it is a failure (exit 1), not a usage error. */
    private String failure(Path file, String... flags) {
        CommandException e = assertThrows(CommandException.class, () -> settings(file, flags));
        assertEquals(CommandException.FAILURE, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void everyBrokerSetting() throws Exception {
        Files.writeString(dir.resolve("passwd"), PasswordFile.hash("alice", "pw".getBytes(StandardCharsets.UTF_8), 1)
                + "\n");
        Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite a/#\n");
        BrokerCommand.Settings s = settings(config(
                "# a zzq broker",
                "  # indented comment",
                "",
                "password_file passwd",
                "acl_file\t" + dir.resolve("acl"),
                "allow_anonymous true",
                "max_keepalive 60",
                "max_packet_size 2048",
                "max_inflight_messages 5",
                "max_topic_alias 0",
                "max_queued_messages 7",
                "max_queued_bytes 5000000000",
                "max_connections 3",
                "sys_interval 0",
                "persistence memory:",
                "native_io false"));
        BrokerOptions o = s.options();
        BrokerCommandTest.assertEveryLimit(o);
        assertFalse(o.nativeIo());
        assertTrue(o.allowAnonymous());
        // relative to the configuration file's folder, not the current directory
        assertTrue(s.auth().passwords().contains("alice"));
        assertTrue(s.auth().acl() != null);
        assertEquals(List.of(BrokerCommand.DEFAULT_BIND), s.binds());
    }

    @Test
    void passwordFileTurnsAnonymousOffAsWithTheFlag() throws Exception {
        Files.writeString(dir.resolve("passwd"), PasswordFile.hash("alice", "pw".getBytes(StandardCharsets.UTF_8), 1)
                + "\n");
        assertFalse(settings(config("password_file passwd")).options().allowAnonymous());
    }

    @Test
    void mosquittoListenersAndUrlListeners() throws Exception {
        BrokerCommand.Settings s = settings(config(
                "listener 1883",
                "listener 1884 127.0.0.1",
                "protocol mqtt",
                "listener 8080",
                "protocol websockets",
                "listener 8883 ::1",
                "certfile server.crt",
                "keyfile /etc/zzq/server.key",
                "keyfile_password pw",
                "cafile ca.crt",
                "require_certificate true",
                "tls_version tlsv1.2",
                "listener 8443",
                "protocol websockets",
                "certfile s.crt",
                "keyfile s.key",
                "listener 0 " + dir.resolve("zzq.sock"),
                "listener ws://127.0.0.1:9001/mqtt",
                "listener mqtts://127.0.0.1:9883",
                "certfile s.crt",
                "keyfile s.key"));
        assertEquals(List.of("mqtt://0.0.0.0:1883", "mqtt://127.0.0.1:1884", "ws://0.0.0.0:8080",
                "mqtts://[::1]:8883", "wss://0.0.0.0:8443", "ipc://" + dir.resolve("zzq.sock"),
                "ws://127.0.0.1:9001/mqtt", "mqtts://127.0.0.1:9883"), s.binds());
        assertSame(TransportOptions.NONE, s.transportOptions("mqtt://0.0.0.0:1883"));
        TransportOptions tls = s.transportOptions("mqtts://[::1]:8883");
        assertEquals(Optional.of(dir.resolve("server.crt")), tls.get(TlsOptions.CERT_FILE));
        assertEquals(Optional.of(Path.of("/etc/zzq/server.key")), tls.get(TlsOptions.KEY_FILE));
        assertEquals(Optional.of("pw"), tls.get(TlsOptions.KEY_PASSWORD));
        assertEquals(Optional.of(dir.resolve("ca.crt")), tls.get(TlsOptions.CA_FILE));
        assertEquals(Optional.of(TlsOptions.ClientAuth.REQUIRE), tls.get(TlsOptions.CLIENT_AUTH));
        assertEquals(Optional.of("TLSv1.2"), tls.get(TlsOptions.PROTOCOLS));
        // each listener its own certificate
        assertEquals(Optional.of(dir.resolve("s.crt")), s.transportOptions("wss://0.0.0.0:8443")
                .get(TlsOptions.CERT_FILE));
        assertEquals(Optional.empty(), s.transportOptions("wss://0.0.0.0:8443").get(TlsOptions.CA_FILE));
    }

    @Test
    void flagsWinOverTheFile() throws Exception {
        Path file = config("max_keepalive 60", "max_connections 3", "allow_anonymous false", "listener 1883",
                "native_io true");
        BrokerCommand.Settings s = settings(file, "--max-keepalive", "30", "--allow-anonymous", "true",
                "--bind", "mqtt://127.0.0.1:0", "--no-native");
        assertEquals(30, s.options().maxKeepAlive());
        assertEquals(3, s.options().maxConnections()); // not given as a flag: the file's
        assertTrue(s.options().allowAnonymous());
        assertFalse(s.options().nativeIo());
        assertEquals(List.of("mqtt://127.0.0.1:0"), s.binds());
    }

    @Test
    void tlsFlagsDoNotApplyToTheFilesListeners() throws Exception {
        CommandException e = assertThrows(CommandException.class,
                () -> settings(config("listener 8883", "certfile a", "keyfile b"), "--cafile", "ca.crt"));
        assertEquals(CommandException.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("take certfile, keyfile"), e.getMessage());
    }

    /** Each bad line is refused with the file, its line and why; {@code %s} stands for the file. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            max_keepalive 0                           | 1: max keepalive must be 1 to 65535, not 0
            max_packet_size 99999999999               | 1: max_packet_size 99999999999 is out of range
            max_connections many                      | 1: max_connections needs a whole number, not 'many'
            sys_interval -1                           | 1: sys_interval must be 0 or more, not -1
            allow_anonymous yes                       | 1: allow_anonymous must be true or false, not 'yes'
            native_io maybe                           | 1: native_io must be true or false, not 'maybe'
            max_keepalive                             | 1: max_keepalive needs a value
            frobnicate 3                              | 1: unknown setting 'frobnicate'
            log_dest stdout                           | 1: log_dest is a Mosquitto setting that zzq does not have (docs/broker-config.md lists zzq's)
            certfile a.crt                            | 1: certfile belongs to a listener: put it after a 'listener' line
            max_connections 1\\nmax_connections 2     | 2: max_connections is given twice (first on line 1)
            listener 70000                            | 1: listener needs a port (0 to 65535) or a URL, not '70000'
            listener 1883 a b                         | 1: listener takes a URL, or a port and an optional address, not '1883 a b'
            listener ftp://x:1                        | 1: no transport for the scheme 'ftp' of ftp://x:1; known schemes: 
            listener 1883\\nprotocol carrier-pigeon   | 2: protocol must be mqtt or websockets, not 'carrier-pigeon'
            listener 1883\\ncafile ca.crt             | 2: cafile is a TLS setting, and the listener of line 1 (mqtt://0.0.0.0:1883) is not a TLS one
            listener 8883\\ncertfile a.crt            | 1: a TLS listener (mqtts://, wss://) needs certfile and keyfile: the server's certificate and private key
            listener 8883\\ncertfile a\\nkeyfile b\\nrequire_certificate true | 1: require_certificate needs cafile: the CAs that sign client certificates
            listener 8883\\ncertfile a\\nkeyfile b\\ntls_version tlsv1.1     | 1: tls_version must be tlsv1.3 or tlsv1.2 (or tlsv1.2,tlsv1.3), not 'tlsv1.1'
            listener 8883\\ncertfile a\\ncertfile b   | 3: certfile is given twice for the listener of line 1 (first on line 2)
            listener mqtt://h:1\\nprotocol mqtt       | 2: protocol is for 'listener PORT': the URL of line 1 names its scheme
            persistence nosuch:x                      | 1: no persistence backend for the scheme 'nosuch' of 'nosuch:x'; known schemes: 
            persistence true                          | 1: persistence true needs a place: write persistence sqlite:/var/lib/zzq/zzq.db (a file relative to this configuration file's folder works too)
            password_file missing                     | 1: the password file '%d/missing' does not exist
            """)
    void badLinesNameTheFileAndLine(String lines, String message) throws IOException {
        Path file = config(lines.replace("\\n", "\n"));
        String expected = file + ":" + message.replace("%d", dir.toString());
        String actual = failure(file);
        if (message.contains("no transport for the scheme") || message.contains("no persistence backend")) {
            assertTrue(actual.startsWith(expected), actual); // the engine's message goes on to list the schemes
        } else {
            assertEquals(expected, actual);
        }
    }

    @Test
    void sqlitePersistenceRelativeToTheFileAndItsErrors() throws Exception {
        Path file = config("persistence sqlite:zzq.db?sync=interval");
        BrokerCommand.Settings s = settings(file, "--bind", "mqtt://127.0.0.1:0");
        try {
            assertTrue(s.options().persistence().durable());
            assertTrue(Files.exists(dir.resolve("zzq.db")), "created beside the configuration file");
        } finally {
            s.options().persistence().close();
        }
        // a store that cannot be opened: the file and line, then the backend's reason
        Path bad = config("# store", "persistence sqlite:" + dir.resolve("zzq.conf") + "/x.db");
        String message = failure(bad);
        assertTrue(message.startsWith(bad + ":2: "), message);
        assertTrue(message.contains(dir.resolve("zzq.conf") + "/x.db"), message);
        // the same by flag: exit 1, named by the flag
        CommandException e = assertThrows(CommandException.class, () -> BrokerCommand.settings(Args.parse(
                BrokerCommand.FLAGS, List.of("--persistence", "sqlite:" + dir.resolve("zzq.conf") + "/x.db"))));
        assertEquals(CommandException.FAILURE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--persistence: "), e.getMessage());
    }

    @Test
    void malformedPasswordFileNamesItsLineAndTheConfigLine() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), "# users\nalice:plain\n");
        Path file = config("# auth", "password_file " + passwd);
        String message = failure(file);
        assertTrue(message.startsWith(file + ":2: bad password file: " + passwd + ":2: "), message);
    }

    @Test
    void missingOrUnreadableConfigurationFile() {
        Path missing = dir.resolve("nope.conf");
        assertEquals("the configuration file '" + missing + "' does not exist", failure(missing));
        assertEquals("cannot read the configuration file '" + dir + "': Is a directory", failure(dir));
    }

    @Test
    void mainExitsOneWithTheMessageAndNoUsage() throws IOException {
        Path file = config("listener 1883", "bogus 1");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("broker", "-c", file.toString()), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("zzq broker: " + file + ":2: unknown setting 'bogus'\n", err.toString(StandardCharsets.UTF_8));
    }
}
