package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.api.spi.Authenticator;
import zzq.api.spi.Authorizer;
import zzq.engine.BrokerOptions;
import zzq.engine.auth.AclFile;
import zzq.engine.auth.PasswordFile;

/** {@code zzq broker}'s flags → {@link BrokerCommand.Settings}: every flag, the defaults, every kind of bad input. */
class BrokerCommandTest {
    @TempDir
    Path dir;

    static BrokerCommand.Settings settings(String... args) throws CommandException {
        return BrokerCommand.settings(Args.parse(BrokerCommand.FLAGS, List.of(args)));
    }

    private static CommandException error(String... args) {
        return assertThrows(CommandException.class, () -> settings(args));
    }

    private static String usageError(String... args) {
        CommandException e = error(args);
        assertEquals(CommandException.USAGE, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    private static String failure(String... args) {
        CommandException e = error(args);
        assertEquals(CommandException.FAILURE, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    private Path passwordFile() throws IOException {
        return Files.writeString(dir.resolve("passwd"),
                PasswordFile.hash("alice", "secret".getBytes(StandardCharsets.UTF_8), 1) + "\n");
    }

    private Path aclFile() throws IOException {
        return Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite sensors/#\n");
    }

    @Test
    void defaults() throws CommandException {
        BrokerCommand.Settings s = settings();
        assertEquals(List.of("mqtt://0.0.0.0:1883"), s.binds());
        assertEquals(BrokerOptions.DEFAULTS.toString(), s.options().toString());
        assertTrue(s.options().allowAnonymous());
        assertSame(Authenticator.ALLOW_ALL, s.options().authenticator());
        assertSame(Authorizer.ALLOW_ALL, s.options().authorizer());
        assertFalse(s.verbose());
    }

    @Test
    void everyLimitFlag() throws CommandException {
        BrokerOptions o = settings("--max-keepalive", "60", "--max-packet-size=2048", "--max-inflight-messages", "5",
                "--max-topic-alias", "0", "--max-queued-messages", "7", "--max-queued-bytes", "5000000000",
                "--max-connections", "3", "--sys-interval", "0", "--verbose").options();
        assertEveryLimit(o);
        assertEquals(Duration.ofSeconds(30), settings("--sys-interval=30").options().sysInterval());
        assertTrue(settings("--verbose").verbose());
    }

    /** The limits that {@link #everyLimitFlag} sets, and BrokerConfigTest sets in a file. */
    static void assertEveryLimit(BrokerOptions o) {
        assertEquals(60, o.maxKeepAlive());
        assertEquals(2048, o.maxPacketSize());
        assertEquals(5, o.maxInflightMessages());
        assertEquals(0, o.maxTopicAlias());
        assertEquals(7, o.maxQueuedMessages());
        assertEquals(5_000_000_000L, o.maxQueuedBytes());
        assertEquals(3, o.maxConnections());
        assertEquals(Duration.ZERO, o.sysInterval());
    }

    @Test
    void noNativeKeepsTheBrokerOnNio() throws CommandException {
        assertTrue(settings().options().nativeIo());
        assertFalse(settings("--no-native").options().nativeIo());
    }

    @Test
    void bindIsRepeatable() throws CommandException {
        assertEquals(List.of("mqtt://127.0.0.1:1883", "tcp://[::1]:0"),
                settings("--bind", "mqtt://127.0.0.1:1883", "--bind=tcp://[::1]:0").binds());
    }

    @Test
    void passwordFileTurnsAnonymousOffByDefault() throws Exception {
        Path passwd = passwordFile();
        BrokerOptions o = settings("--password-file", passwd.toString()).options();
        assertTrue(settings("--password-file", passwd.toString()).auth().passwords().contains("alice"));
        assertNotSame(Authenticator.ALLOW_ALL, o.authenticator());
        assertFalse(o.allowAnonymous());
        assertTrue(settings("--password-file", passwd.toString(), "--allow-anonymous", "true").options()
                .allowAnonymous());
    }

    @Test
    void allowAnonymousWithoutPasswordFile() throws CommandException {
        assertTrue(settings("--allow-anonymous=true").options().allowAnonymous());
        assertFalse(settings("--allow-anonymous", "false").options().allowAnonymous());
    }

    @Test
    void aclFileSetsTheAuthorizer() throws Exception {
        BrokerCommand.Settings s = settings("--acl-file=" + aclFile());
        BrokerOptions o = s.options();
        assertInstanceOf(AclFile.class, s.auth().acl());
        assertNotSame(Authorizer.ALLOW_ALL, o.authorizer());
        assertSame(Authenticator.ALLOW_ALL, o.authenticator());
        assertTrue(o.allowAnonymous());
    }

    /** Ranges are the builder's; its message, which names the setting and its range, is passed on as it is. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --max-keepalive=0             | max keepalive must be 1 to 65535, not 0
            --max-keepalive=65536         | max keepalive must be 1 to 65535, not 65536
            --max-packet-size=19          | max packet size must be 20 to 268435460, not 19
            --max-inflight-messages=0     | max inflight messages must be 1 to 65535, not 0
            --max-topic-alias=-1          | max topic alias must be 0 to 65535, not -1
            --max-queued-messages=0       | max queued messages must be 1 to 2147483647, not 0
            --max-queued-bytes=0          | max queued bytes must be at least 1, not 0
            --max-connections=-1          | max connections must be 0 to 2147483647, not -1
            --sys-interval=-5             | --sys-interval must be 0 or more, not -5
            --max-packet-size=99999999999 | --max-packet-size 99999999999 is out of range
            --max-connections=many        | --max-connections needs a whole number, not 'many'
            --allow-anonymous=yes         | --allow-anonymous must be true or false, not 'yes'
            --bind=localhost:1883         | --bind: endpoint 'localhost:1883' has no scheme: write it as scheme://..., for example mqtt://127.0.0.1:1883
            --nope=1                      | unknown flag --nope
            """)
    void badValueIsAUsageErrorWithAClearMessage(String arg, String message) {
        assertEquals(message, usageError(arg));
    }

    @Test
    void missingPasswordFileIsAFailureNamingIt() {
        Path missing = dir.resolve("missing");
        assertEquals("the password file '" + missing + "' does not exist",
                failure("--password-file", missing.toString()));
    }

    @Test
    void malformedFilesAreFailuresNamingFileAndLine() throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), "# users\nalice:plain\n");
        String message = failure("--password-file", passwd.toString());
        assertTrue(message.startsWith("bad password file: " + passwd + ":2: "), message);

        Path acl = Files.writeString(dir.resolve("acl"), "topic sometimes x\n");
        message = failure("--acl-file", acl.toString());
        assertTrue(message.startsWith("bad ACL file: " + acl + ":1: "), message);
    }

    @Test
    void unreadableFileIsAFailureNamingIt() {
        assertEquals("cannot read the ACL file '" + dir + "': Is a directory", failure("--acl-file", dir.toString()));
    }
}
