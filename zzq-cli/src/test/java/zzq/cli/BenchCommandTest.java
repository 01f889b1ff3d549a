package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.api.spi.Authorizer;
import zzq.api.spi.ClientIdentity;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;

/**
 * {@code zzq bench} in-process against an embedded zzq broker (and once a real Mosquitto): exact counts in count
 * mode at every QoS and version, the JSON and CSV summaries, rate mode, loss found and judged by QoS, other
 * transports, usage errors and a failed connect.
 */
@Timeout(60)
class BenchCommandTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private TestBroker broker(BrokerOptions options) {
        TestBroker b = TestBroker.start(options);
        closing.add(b);
        return b;
    }

    private static CliRun bench(TestBroker b, String... args) throws Exception {
        return bench(b.args(args));
    }

    private static CliRun bench(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run("", all);
    }

    /** Runs to its end and expects exit 0; its JSON summary. */
    private static Map<String, Object> json(CliRun run) throws Exception {
        assertEquals(0, run.awaitExit(), run.err());
        return JsonCheck.object(run.out());
    }

    /** --persistent: persistent sessions during the run, none left in the broker after it. */
    @ParameterizedTest
    @ValueSource(strings = {"5", "311"})
    void persistentSessionsAreEndedAfterTheRun(String version) throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        Map<String, Object> r = json(bench(b, "--publishers", "1", "--subscribers", "2", "-n", "200", "-q", "1",
                "-V", version, "--persistent", "--json"));
        assertEquals(400L, r.get("received"));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (b.broker().statistics().clientsTotal() != 0) {
            assertTrue(System.nanoTime() < deadline, "sessions left: " + b.broker().statistics().clientsTotal());
            Thread.sleep(10);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void countModeIsExactAtEveryQos(int qos) throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        Map<String, Object> r = json(bench(b, "--publishers", "2", "--subscribers", "2", "-n", "301", "-q",
                Integer.toString(qos), "--json"));
        assertEquals(301L, r.get("sent"));
        assertEquals(602L, r.get("expected"));
        assertEquals(602L, r.get("received"));
        assertEquals(0L, r.get("lost"));
        assertEquals(0L, r.get("duplicates"));
        assertEquals(0L, r.get("failed"));
        assertEquals(0L, r.get("foreign"));
        assertEquals((long) qos, r.get("qos"));
        assertEquals((long) qos, r.get("delivered_qos"));
        assertEquals(2L, r.get("publishers"));
        assertEquals("zzq/bench/+", r.get("filter"));
        assertEquals(b.url(), r.get("url"));
        double p50 = ((Number) r.get("latency_p50_us")).doubleValue();
        double max = ((Number) r.get("latency_max_us")).doubleValue();
        assertTrue(p50 > 0 && p50 <= max, r.toString());
        assertInstanceOf(List.class, r.get("seconds"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"311", "31"})
    void olderVersions(String version) throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        Map<String, Object> r = json(bench(b, "--publishers", "2", "--subscribers", "2", "-n", "100", "-q", "1",
                "-V", version, "--json"));
        assertEquals(version.equals("311") ? "3.1.1" : "3.1", r.get("version"));
        assertEquals(200L, r.get("received"));
        assertEquals(0L, r.get("lost"));
    }

    @Test
    void textSummaryStatesTheSettingsAndTheCounts() throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        CliRun run = bench(b, "--publishers", "2", "--subscribers", "3", "-n", "50", "-q", "1", "-s", "100");
        assertEquals(0, run.awaitExit(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("zzq bench: " + b.url() + ", MQTT 5, QoS 1, 100 B payload, 2 publishers, "
                + "3 subscribers\n  topic zzq/bench/%i, filter zzq/bench/+, flat out, 50 messages\n"), out);
        assertTrue(out.contains("\nsent        50 in "), out);
        assertTrue(out.contains("\nreceived    150 of 150 expected: "), out);
        assertTrue(out.contains("\nlost        0\nduplicates  0\nlatency     p50 "), out);
    }

    @Test
    void csvIsAHeaderAndOneRow() throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        CliRun run = bench(b, "-n", "40", "-q", "2", "--csv");
        assertEquals(0, run.awaitExit(), run.err());
        String[] lines = run.out().split("\n", -1);
        assertEquals(3, lines.length, run.out());
        assertEquals("", lines[2]);
        List<String> header = Arrays.asList(lines[0].split(",", -1));
        List<String> row = Arrays.asList(lines[1].split(",", -1));
        assertEquals(header.size(), row.size(), run.out());
        Map<String, String> r = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            r.put(header.get(i), row.get(i));
        }
        assertEquals(List.of("url", "version", "qos"), header.subList(0, 3));
        assertEquals("40", r.get("sent"));
        assertEquals("40", r.get("received"));
        assertEquals("0", r.get("lost"));
        assertEquals("2", r.get("qos"));
        assertTrue(Double.parseDouble(r.get("latency_p99_us")) > 0, run.out());
    }

    /** Rate mode ends and reports; a second's progress line comes (the run lasts past it). Nothing is timed. */
    @Test
    void rateModeEndsAndReports() throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        CliRun run = bench(b, "--rate", "200", "-d", "1.5", "--publishers", "3", "-q", "1", "--json");
        Map<String, Object> r = json(run);
        long sent = (Long) r.get("sent");
        assertTrue(sent > 0, r.toString());
        assertEquals(sent, r.get("received"));
        assertEquals(0L, r.get("lost"));
        assertEquals(200L, r.get("rate"));
        List<?> seconds = (List<?>) r.get("seconds");
        assertTrue(!seconds.isEmpty(), r.toString());
        assertEquals(1L, ((Map<?, ?>) seconds.get(0)).get("second"));
        assertTrue(run.err().contains("zzq bench:    1 s  sent "), run.err());
    }

    /** Only the subscribers whose filter matches a publisher's topic count towards its expected messages. */
    @Test
    void expectedCountsMatchingSubscribersOnly() throws Exception {
        TestBroker b = broker(BrokerOptions.DEFAULTS);
        Map<String, Object> r = json(bench(b, "--publishers", "2", "--subscribers", "2", "-n", "100", "-t",
                "b/%i/x", "--filter", "b/0/+", "-q", "1", "--json"));
        assertEquals(100L, r.get("sent"));
        assertEquals(100L, r.get("expected")); // publisher 0's 50, to each of 2
        assertEquals(100L, r.get("received"));
        assertEquals(0L, r.get("lost"));
    }

    /**
     * A broker that never delivers publisher 1's topic: its messages are lost to every subscriber. At QoS 1 that
     * fails the run (exit 1); at QoS 0 it is only reported.
     */
    @ParameterizedTest
    @CsvSource({"1, 1", "0, 0"})
    void lossIsFoundAndFailsTheRunAboveQos0(int qos, int exit) throws Exception {
        TestBroker b = broker(BrokerOptions.builder().authorizer(new Authorizer() {
            @Override
            public boolean canPublish(ClientIdentity client, String topic) {
                return true;
            }

            @Override
            public boolean canSubscribe(ClientIdentity client, String filter) {
                return true;
            }

            @Override
            public boolean canReceive(ClientIdentity client, String topic) {
                return !topic.equals("zzq/bench/1");
            }
        }).build());
        CliRun run = bench(b, "--publishers", "2", "--subscribers", "2", "-n", "60", "-q", Integer.toString(qos),
                "--drain", "0.2", "--json");
        assertEquals(exit, run.awaitExit(), run.err());
        Map<String, Object> r = JsonCheck.object(run.out());
        assertEquals(60L, r.get("sent"));
        assertEquals(120L, r.get("expected"));
        assertEquals(60L, r.get("received"));
        assertEquals(60L, r.get("lost"));
        assertEquals(0L, r.get("duplicates"));
        assertEquals(exit == 1, run.err().contains("zzq bench: 60 QoS 1 messages were lost"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipc", "ws"})
    void otherTransports(String scheme) throws Exception {
        Broker broker = Broker.start(BrokerOptions.DEFAULTS);
        closing.add(broker);
        String url = broker.bind(scheme.equals("ipc") ? "ipc://" + dir.resolve("zzq.sock")
                : "ws://127.0.0.1:0/mqtt").toString();
        Map<String, Object> r = json(bench("-L", url, "-n", "100", "-q", "1", "--subscribers", "2", "--json"));
        assertEquals(url, r.get("url"));
        assertEquals(200L, r.get("received"));
        assertEquals(0L, r.get("lost"));
    }

    @Test
    void againstMosquittoAtQos1() throws Exception {
        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir)) {
            CliRun run = CliRun.run("", mosquitto.args("bench", "--publishers", "2", "--subscribers", "2", "-n",
                    "200", "-q", "1", "--json"));
            Map<String, Object> r = json(run);
            assertEquals(200L, r.get("sent"));
            assertEquals(400L, r.get("received"));
            assertEquals(0L, r.get("lost"));
            assertEquals(0L, r.get("duplicates"));
            assertEquals(1L, r.get("delivered_qos"));
        }
    }

    @Test
    void connectFailureExits1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun run = bench("-h", "127.0.0.1", "-p", Integer.toString(port), "-n", "10");
        assertEquals(1, run.awaitExit(), run.err());
        assertEquals("", run.out());
        assertTrue(run.err().contains("cannot connect to mqtt://127.0.0.1:" + port), run.err());
    }

    /** A refused connection exits 1 as well (not with the CONNACK code, as zzq pub does), naming the reason. */
    @Test
    void refusedConnectionExits1() throws Exception {
        TestBroker b = broker(BrokerOptions.builder().allowAnonymous(false).build());
        CliRun run = bench(b, "-n", "10");
        assertEquals(1, run.awaitExit(), run.err());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("zzq bench: subscriber 0: the broker at " + b.url()
                + " refused the connection: "), run.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -q 3                             | -q must be 0, 1 or 2, not 3
            -n 10 -d 1                       | give -n (a count) or -d (a duration), not both
            -s 10                            | -s must be 24 to 268435455, not 10
            --publishers 0                   | --publishers must be 1 to 10000, not 0
            -d 0                             | -d must be 0.001 to 31536000 seconds, not '0'
            --rate -1                        | --rate must be 0 to 2147483647, not -1
            --json --csv                     | give --json or --csv, not both
            -t a/+/%i                        | -t: 
            --filter other/+                 | --filter other/+ matches none of the publishers' topics
            --filter $share/g/zzq/bench/+    | --filter: shared subscriptions ($share/...) are not supported
            -d                               | -d needs a value
            """)
    void usageErrorsExit2(String args, String message) throws Exception {
        CliRun run = bench(args.split(" "));
        assertEquals(2, run.awaitExit(), run.err());
        assertTrue(run.err().startsWith("zzq bench: " + message), run.err());
        assertTrue(run.err().contains("Usage: zzq bench"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void helpListsTheFlags() throws Exception {
        CliRun run = bench("--help");
        assertEquals(0, run.awaitExit());
        for (String flag : List.of("--publishers N", "--subscribers M", "-t, --topic PATTERN", "--filter FILTER",
                "-q, --qos QOS", "-s, --size BYTES", "--rate MSG_PER_S", "-n, --count N", "-d, --duration SECONDS",
                "--drain SECONDS", "--json", "--csv", "-L, --url URL", "-V, --protocol-version", "--cafile FILE",
                "-u, --username NAME", "Exit status: 0")) {
            assertTrue(run.out().contains(flag), flag + " in:\n" + run.out());
        }
    }
}
