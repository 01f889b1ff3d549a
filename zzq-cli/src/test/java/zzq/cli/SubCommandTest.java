package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerOptions;
import zzq.engine.Subscription;
import zzq.engine.auth.AclFile;

/** {@code zzq sub} in-process against an embedded zzq broker: output formats, -C, -W, retained, sessions, will. */
@Timeout(60)
class SubCommandTest {
    @TempDir
    Path dir;

    private TestBroker broker;
    private final List<CliRun> runs = new ArrayList<>();

    private TestBroker broker() {
        return broker(BrokerOptions.DEFAULTS);
    }

    private TestBroker broker(BrokerOptions options) {
        broker = TestBroker.start(options);
        return broker;
    }

    @AfterEach
    void close() throws Exception {
        for (CliRun run : runs) {
            run.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Starts {@code zzq sub ARGS -d} and waits until the broker has answered its SUBSCRIBE. */
    private CliRun sub(String... args) throws Exception {
        CliRun run = start(args);
        run.awaitErr(e -> e.contains("zzq sub: subscribed: ") || !run.isRunning());
        return run;
    }

    private CliRun start(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "sub";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "-d";
        CliRun run = CliRun.start(broker.args(all));
        runs.add(run);
        return run;
    }

    private void publish(String topic, String payload) {
        broker.publish(ApplicationMessage.builder(topic).payload(payload).qos(QoS.AT_LEAST_ONCE).build());
    }

    private void publishRetained(String topic, String payload) {
        broker.publish(ApplicationMessage.builder(topic).payload(payload).qos(QoS.AT_LEAST_ONCE).retain(true)
                .build());
    }

    @Test
    void printsPayloadsAndExitsAfterCount() throws Exception {
        broker();
        CliRun plain = sub("-t", "f/#", "-C", "3", "-q", "1");
        CliRun verbose = sub("-t", "f/#", "-C", "3", "-q", "1", "-v");
        CliRun bare = sub("-t", "f/#", "-C", "3", "-q", "1", "-N");
        CliRun both = sub("-t", "f/#", "-C", "3", "-q", "1", "-v", "-N");
        publish("f/1", "x");
        publish("f/2", ""); // as mosquitto_sub: nothing, or 'topic (null)' with -v
        publish("f/3", "y z");
        assertEquals(0, plain.awaitExit(), plain.err());
        assertEquals("x\ny z\n", plain.out());
        assertEquals(0, verbose.awaitExit());
        assertEquals("f/1 x\nf/2 (null)\nf/3 y z\n", verbose.out());
        assertEquals(0, bare.awaitExit());
        assertEquals("xy z", bare.out());
        assertEquals(0, both.awaitExit());
        assertEquals("f/1 xf/3 y z", both.out());
    }

    @Test
    void timeoutExits27() throws Exception {
        broker();
        CliRun run = sub("-t", "quiet/#", "-W", "1");
        assertEquals(SubCommand.TIMED_OUT, run.awaitExit());
        assertTrue(run.err().endsWith("zzq sub: timed out after 1 s\n"), run.err());
        // a message came (the retained one, with the SUBACK), but fewer than -C: still a timeout
        publishRetained("some", "1");
        CliRun some = start("-t", "some", "-W", "2", "-C", "2", "-q", "1");
        assertEquals(SubCommand.TIMED_OUT, some.awaitExit());
        assertEquals("1\n", some.out());
    }

    @Test
    void retainedMessages() throws Exception {
        broker();
        publishRetained("r/1", "old1");
        publishRetained("r/2", "old2");

        CliRun onlyRetained = sub("-t", "r/#", "--retained-only", "-v", "-q", "1");
        onlyRetained.awaitOut(o -> o.contains("r/1 old1\n") && o.contains("r/2 old2\n"));
        CliRun fresh = sub("-t", "r/#", "-R", "-C", "2", "-q", "1");
        CliRun filtered = sub("-t", "r/#", "-T", "r/2", "-T", "r/x/#", "-C", "2", "-v", "-q", "1");
        publish("r/x/y", "filtered out");
        publish("r/3", "new");

        // --retained-only: the retained ones, then exit 0 at the first fresh one, which is not printed
        assertEquals(0, onlyRetained.awaitExit());
        assertEquals(2, onlyRetained.out().lines().count(), onlyRetained.out());
        // -R: no retained message; in 5.0 the broker was asked not to send them
        assertEquals(0, fresh.awaitExit());
        assertEquals("filtered out\nnew\n", fresh.out());
        // -T: r/2 and r/x/y are not printed and do not count
        assertEquals(0, filtered.awaitExit());
        assertEquals("r/1 old1\nr/3 new\n", filtered.out());
    }

    @Test
    void removeRetainedClearsWhatItReceives() throws Exception {
        broker();
        publishRetained("gone/1", "a");
        publishRetained("gone/2", "b");
        CliRun run = sub("-t", "gone/#", "--remove-retained", "--retained-only", "-q", "1");
        publish("gone/3", "fresh");
        assertEquals(0, run.awaitExit(), run.err());
        // the broker holds no retained message under gone/# any more: a new subscriber gets the fresh one only
        Subscription after = broker.subscribe("gone/#", QoS.AT_LEAST_ONCE);
        publish("gone/4", "marker");
        assertEquals("marker", TestBroker.next(after).payloadAsString());
    }

    /**
     * -c: a persistent session keeps the subscription and the QoS 1 messages while the subscriber is away; the next
     * run resumes it and prints them (they come before its own SUBSCRIBE is answered). -U ends the subscription.
     */
    @Test
    void persistentSessionKeepsMessagesWhileAway() throws Exception {
        broker();
        CliRun setup = start("-t", "queued/#", "-q", "1", "-c", "-i", "keeper", "-E");
        assertEquals(0, setup.awaitExit(), setup.err());
        publish("queued/1", "while away 1");
        publish("queued/2", "while away 2");

        CliRun resumed = start("-t", "queued/#", "-q", "1", "-c", "-i", "keeper", "-C", "3");
        resumed.awaitOut(o -> o.equals("while away 1\nwhile away 2\n"));
        publish("queued/3", "live");
        assertEquals(0, resumed.awaitExit(), resumed.err());
        assertEquals("while away 1\nwhile away 2\nlive\n", resumed.out());

        CliRun unsubscribe = start("-U", "queued/#", "-c", "-i", "keeper");
        assertEquals(0, unsubscribe.awaitExit(), unsubscribe.err());
        assertTrue(unsubscribe.err().contains("zzq sub: unsubscribed: [queued/#] [SUCCESS]"), unsubscribe.err());
    }

    /** As mosquitto_sub: a signal (here an interrupt) ends with 0, and in 5.0 with the will published. */
    @Test
    void stopEndsWithZeroAndTheWill() throws Exception {
        broker();
        Subscription wills = broker.subscribe("wills/#", QoS.AT_LEAST_ONCE);
        CliRun run = sub("-t", "x", "--will-topic", "wills/sub", "--will-payload", "gone", "--will-qos", "1");
        assertEquals(0, run.stop());
        ApplicationMessage will = TestBroker.next(wills);
        assertEquals("wills/sub", will.topic());
        assertEquals("gone", will.payloadAsString());
    }

    @Test
    void refusedSubscriptions() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), "topic readwrite open/#\n");
        broker(BrokerOptions.builder().authorizer(AclFile.load(acl)).build());
        CliRun none = start("-t", "closed/#");
        assertEquals(1, none.awaitExit());
        assertTrue(none.err().endsWith("zzq sub: the broker refused every subscription: 'closed/#': "
                + "Not authorized (0x87)\n"), none.err());

        CliRun some = sub("-t", "closed/#", "-t", "open/#", "-C", "1", "-q", "1");
        assertTrue(some.err().contains("zzq sub: warning: the broker refused 'closed/#': Not authorized (0x87)\n"),
                some.err());
        broker.publish(ApplicationMessage.builder("open/1").payload("ok".getBytes(StandardCharsets.UTF_8)).build());
        assertEquals(0, some.awaitExit());
        assertEquals("ok\n", some.out());
    }

    @Test
    void refusedConnectionExitsWithTheConnackCode() throws Exception {
        broker(BrokerOptions.builder().allowAnonymous(false).build());
        CliRun run = start("-t", "x");
        assertEquals(135, run.awaitExit());
        CliRun v3 = start("-t", "x", "-V", "311");
        assertEquals(5, v3.awaitExit());
    }
}
