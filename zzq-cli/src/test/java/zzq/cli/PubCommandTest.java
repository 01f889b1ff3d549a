package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.codec.QoS;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.Subscription;
import zzq.engine.auth.AclFile;
import zzq.engine.auth.PasswordFile;

/** {@code zzq pub} in-process against an embedded zzq broker: every message source, QoS, properties, exit codes. */
@Timeout(60)
class PubCommandTest {
    @TempDir
    Path dir;

    private final List<TestBroker> brokers = new ArrayList<>();

    private TestBroker broker() {
        return broker(BrokerOptions.DEFAULTS);
    }

    private TestBroker broker(BrokerOptions options) {
        TestBroker b = TestBroker.start(options);
        brokers.add(b);
        return b;
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(TestBroker::close);
    }

    /** A broker with one user, alice (password secret), who may publish to ok/# only. */
    private TestBroker securedBroker() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"),
                PasswordFile.hash("alice", "secret".getBytes(StandardCharsets.UTF_8), 1) + "\n");
        Path acl = Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite ok/#\ntopic read ro/#\n");
        return broker(BrokerOptions.builder().allowAnonymous(false).authenticator(PasswordFile.load(passwd))
                .authorizer(AclFile.load(acl)).build());
    }

    private static CliRun pub(TestBroker b, String stdin, String... args) throws Exception {
        return CliRun.run(stdin, b.args(prepend("pub", args)));
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void messageAtEveryQosAndVersion() throws Exception {
        TestBroker b = broker();
        Subscription s = b.subscribe("m/#", QoS.EXACTLY_ONCE);
        for (String version : List.of("5", "311", "31")) {
            for (QoS q : QoS.values()) {
                CliRun run = pub(b, "", "-t", "m/" + version, "-m", "hello " + q, "-q", Integer.toString(q.value()),
                        "-V", version);
                assertEquals(0, run.awaitExit(), run.err());
                assertEquals("", run.out() + run.err());
                ApplicationMessage m = TestBroker.next(s);
                assertEquals("m/" + version, m.topic());
                assertEquals("hello " + q, m.payloadAsString());
                assertEquals(q, m.qos());
                assertFalse(m.retain());
            }
        }
    }

    @Test
    void retainedEmptyFileAndStdinMessages() throws Exception {
        TestBroker b = broker();
        Subscription s = b.subscribe("s/#", QoS.AT_LEAST_ONCE);
        byte[] binary = {0, 1, '\n', (byte) 0xFF, '\r', '\n'};
        Path file = Files.write(dir.resolve("payload"), binary);

        assertEquals(0, pub(b, "", "-t", "s/r", "-m", "kept", "-r", "-q", "1").awaitExit());
        assertEquals(0, pub(b, "", "-t", "s/n", "-n").awaitExit());
        assertEquals(0, pub(b, "", "-t", "s/f", "-f", file.toString()).awaitExit());
        assertEquals(0, pub(b, "line one\nline two\n", "-t", "s/s", "-s").awaitExit());

        ApplicationMessage retained = TestBroker.next(s);
        assertEquals("kept", retained.payloadAsString());
        assertEquals(0, TestBroker.next(s).payloadSize());
        assertArrayEquals(binary, TestBroker.next(s).payloadAsBytes());
        assertEquals("line one\nline two\n", TestBroker.next(s).payloadAsString());
        // the broker kept the retained one: a new subscriber gets it with RETAIN set
        ApplicationMessage again = TestBroker.next(b.subscribe("s/r", QoS.AT_MOST_ONCE));
        assertTrue(again.retain());
        assertEquals("kept", again.payloadAsString());
    }

    /** As mosquitto_pub -l: split at \n only, an empty line is an empty message, a last line without \n counts. */
    @Test
    void eachLineIsAMessageInOrder() throws Exception {
        TestBroker b = broker();
        Subscription s = b.subscribe("l", QoS.AT_LEAST_ONCE);
        CliRun run = pub(b, "a\n\nb\r\nlast", "-t", "l", "-l", "-q", "1");
        assertEquals(0, run.awaitExit(), run.err());
        assertEquals(List.of("a", "", "b\r", "last"), TestBroker.next(s, 4));
        assertEquals(0, pub(b, "", "-t", "l", "-l").awaitExit(), "no input: nothing to publish, and no failure");
    }

    /** More lines than the client's queue holds (1000): reading waits for room, nothing is refused or lost. */
    @Test
    void moreLinesThanTheQueueHolds() throws Exception {
        TestBroker b = broker();
        Subscription s = b.subscribe("many", QoS.AT_LEAST_ONCE);
        List<String> lines = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            lines.add("line " + i);
            input.append("line ").append(i).append('\n');
        }
        for (String qos : List.of("1", "2")) {
            try (CliRun run = CliRun.start(b.args("pub", "-t", "many", "-l", "-q", qos))) {
                run.write(input.toString());
                run.closeStdin();
                assertEquals(lines, TestBroker.next(s, lines.size()), "QoS " + qos);
                assertEquals(0, run.awaitExit(), run.err());
            }
        }
        CliRun qos0 = pub(b, input.toString(), "-t", "nobody/listens", "-l");
        assertEquals(0, qos0.awaitExit(), qos0.err());
    }

    @Test
    void repeatPublishesTheMessageAgain() throws Exception {
        TestBroker b = broker();
        Subscription s = b.subscribe("rep", QoS.AT_LEAST_ONCE);
        assertEquals(0, pub(b, "", "-t", "rep", "-m", "x", "-q", "1", "--repeat", "3").awaitExit());
        assertEquals(List.of("x", "x", "x"), TestBroker.next(s, 3));
    }

    /** -D publish ...: every PUBLISH property a client may set reaches the subscriber. */
    @Test
    void publishProperties() throws Exception {
        TestBroker b = broker();
        Subscription s = b.subscribe("p", QoS.AT_LEAST_ONCE);
        CliRun run = pub(b, "", "-t", "p", "-m", "{}", "-q", "1",
                "-D", "publish", "content-type", "application/json",
                "-D", "PUBLISH", "user-property", "k", "v 1",
                "-D", "publish", "user-property", "k", "v2",
                "-D", "publish", "message-expiry-interval", "3600",
                "-D", "publish", "response-topic", "replies/me",
                "-D", "publish", "correlation-data", "id-42",
                "-D", "publish", "payload-format-indicator", "1");
        assertEquals(0, run.awaitExit(), run.err());
        Properties p = TestBroker.next(s).properties();
        assertEquals("application/json", p.string(PropertyId.CONTENT_TYPE).orElseThrow());
        assertEquals(List.of(new UserProperty("k", "v 1"), new UserProperty("k", "v2")), p.userProperties());
        assertTrue(p.integer(PropertyId.MESSAGE_EXPIRY_INTERVAL).orElseThrow() > 3500);
        assertEquals("replies/me", p.string(PropertyId.RESPONSE_TOPIC).orElseThrow());
        assertEquals(BinaryData.of("id-42".getBytes(StandardCharsets.UTF_8)),
                p.binary(PropertyId.CORRELATION_DATA).orElseThrow());
        assertEquals(1, p.integer(PropertyId.PAYLOAD_FORMAT_INDICATOR).orElseThrow());
    }

    @Test
    void clientIdentifiers() throws Exception {
        TestBroker b = broker();
        BlockingQueue<String> ids = new LinkedBlockingQueue<>();
        b.broker().onMonitorEvent(e -> {
            if (e instanceof MonitorEvent.HandshakeSucceeded h) {
                ids.add(h.clientId());
            }
        });
        assertEquals(0, pub(b, "", "-t", "t", "-n", "-i", "given-id").awaitExit());
        assertEquals(0, pub(b, "", "-t", "t", "-n", "-I", "prefix-").awaitExit());
        assertEquals(0, pub(b, "", "-t", "t", "-n", "-V", "311").awaitExit());
        assertEquals(0, pub(b, "", "-t", "t", "-n", "-c", "-i", "kept", "-V", "311").awaitExit());
        // the monitor runs on a thread of its own: its events come in order, soon after
        assertEquals("given-id", ids.poll(30, TimeUnit.SECONDS));
        assertEquals("prefix-" + ProcessHandle.current().pid(), ids.poll(30, TimeUnit.SECONDS));
        String generated = ids.poll(30, TimeUnit.SECONDS);
        assertTrue(generated != null && generated.matches("zzq-[a-z0-9]{18}"), generated);
        assertEquals("kept", ids.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void urlGivesBrokerCredentialsAndTopic() throws Exception {
        TestBroker b = securedBroker();
        Subscription s = b.subscribe("ok/#", QoS.AT_LEAST_ONCE, "alice", "secret");
        CliRun run = CliRun.run("", "pub", "-L", "mqtt://alice:secret@127.0.0.1:" + b.port() + "/ok/url", "-m", "u",
                "-q", "1");
        assertEquals(0, run.awaitExit(), run.err());
        assertEquals("ok/url", TestBroker.next(s).topic());
    }

    /** As mosquitto_pub: a refused connection exits with the CONNACK code, in 5.0 and in 3.1.1. */
    @Test
    void refusedConnectionExitsWithTheConnackCode() throws Exception {
        TestBroker b = securedBroker();
        CliRun v5 = pub(b, "", "-t", "ok/x", "-m", "x", "-u", "alice", "-P", "wrong");
        assertEquals(134, v5.awaitExit());
        assertEquals("zzq pub: the broker at mqtt://127.0.0.1:" + b.port()
                + " refused the connection: Bad user name or password (0x86)\n", v5.err());
        CliRun v3 = pub(b, "", "-t", "ok/x", "-m", "x", "-V", "mqttv311");
        assertEquals(5, v3.awaitExit());
        assertEquals("zzq pub: the broker at mqtt://127.0.0.1:" + b.port()
                + " refused the connection: not authorized (return code 5)\n", v3.err());
        assertEquals(5, pub(b, "", "-t", "ok/x", "-m", "x", "-V", "311", "--quiet").awaitExit());
    }

    @Test
    void unreachableBrokerExits1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun run = CliRun.run("", "pub", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "t", "-m", "x");
        assertEquals(1, run.awaitExit());
        assertEquals("zzq pub: cannot connect to mqtt://127.0.0.1:" + port + ": Connection refused\n", run.err());
    }

    /** A message the broker refuses is reported and the exit code says so; the other lines still go. */
    @Test
    void refusedMessageIsReportedAndExits1() throws Exception {
        TestBroker b = securedBroker();
        Subscription s = b.subscribe("ok/#", QoS.AT_LEAST_ONCE, "alice", "secret");
        CliRun run = pub(b, "", "-t", "ro/x", "-m", "x", "-q", "1", "-u", "alice", "-P", "secret");
        assertEquals(1, run.awaitExit());
        assertEquals("zzq pub: warning: the message to 'ro/x' was not published: the broker refused it: "
                + "Not authorized (0x87)\nzzq pub: 1 message was not published\n", run.err());

        CliRun lines = pub(b, "one\ntwo\n", "-t", "ok/fine", "-l", "-q", "1", "-u", "alice", "-P", "secret");
        assertEquals(0, lines.awaitExit(), lines.err());
        assertEquals(List.of("one", "two"), TestBroker.next(s, 2));
    }

    @Test
    void unreadableFileIsAFailure() throws Exception {
        TestBroker b = broker();
        CliRun run = pub(b, "", "-t", "t", "-f", dir.resolve("missing").toString());
        assertEquals(1, run.awaitExit());
        assertEquals("zzq pub: cannot read '" + dir.resolve("missing") + "': no such file\n", run.err());
    }
}
