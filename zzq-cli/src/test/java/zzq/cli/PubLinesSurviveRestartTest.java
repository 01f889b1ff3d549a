package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Subscription;

/**
 * {@code zzq pub -l -q 1} keeps every line across a broker restart: lines read while the broker is down wait in
 * the client's queue, go out after the reconnect, and the command ends 0 only once every line is acknowledged.
 * And {@code zzq sub} comes back after the restart: it reconnects and subscribes again.
 *
 * <p>The embedded broker keeps nothing across a restart (no persistence), so the test stops it only once the
 * subscriber has every line sent so far, and lets the restarted broker take the subscription (on a second port)
 * before it opens the port {@code zzq pub} dials: what is checked is the publisher's side, not the broker's memory.
 * MosquittoCliTest does the same against Mosquitto with persistence, stopping it mid-stream.
 */
@Timeout(120)
class PubLinesSurviveRestartTest {
    private static String lines(int from, int to) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append("line ").append(i).append('\n');
        }
        return text.toString();
    }

    private static List<String> expected(int from, int to) {
        List<String> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.add("line " + i);
        }
        return all;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Takes messages until every payload expected has come (QoS 1 may bring a line twice: allowed). */
    private static void awaitAll(Subscription s, List<String> expected) throws InterruptedException {
        Set<String> missing = new TreeSet<>(expected);
        while (!missing.isEmpty()) {
            ApplicationMessage m = s.receive(CliRun.WAIT);
            assertTrue(m != null, "still missing after " + CliRun.WAIT + ": " + missing);
            missing.remove(m.payloadAsString());
        }
    }

    @Test
    void everyLineArrivesAcrossARestart() throws Exception {
        TestBroker first = TestBroker.start();
        int port = first.port();
        TestBroker second = null;
        try (CliRun pub = CliRun.start(first.args("pub", "-t", "lines", "-l", "-q", "1"));
             CliRun sub = CliRun.start(first.args("sub", "-t", "lines", "-q", "1", "-d"))) {
            sub.awaitErr(e -> e.contains("zzq sub: subscribed: "));
            Subscription before = first.subscribe("lines", QoS.AT_LEAST_ONCE);

            pub.write(lines(0, 300));
            awaitAll(before, expected(0, 300));
            first.close();
            pub.awaitErr(e -> e.contains("zzq pub: connection lost"));

            // the broker is down: these lines are read and wait in zzq pub's queue
            pub.write(lines(300, 600));

            second = TestBroker.startOn(0);
            Subscription after = second.subscribe("lines", QoS.AT_LEAST_ONCE);
            // zzq sub's new SUBSCRIBE races zzq pub's queued lines; the retained probe tells when it is in place
            second.publish(ApplicationMessage.builder("lines").payload("probe").retain(true).build());
            second.broker().bind("mqtt://127.0.0.1:" + port);
            pub.awaitErr(e -> e.contains("zzq pub: reconnected to mqtt://127.0.0.1:" + port));
            sub.awaitOut(o -> o.contains("probe\n"));
            pub.write(lines(600, 900));
            pub.closeStdin();

            assertEquals(0, pub.awaitExit(), pub.err());
            awaitAll(after, expected(300, 900));
            String out = sub.awaitOut(o -> o.contains("line 899\n"));
            for (String line : concat(expected(0, 300), expected(600, 900))) {
                assertTrue(out.contains(line + "\n"), line);
            }
            assertEquals(0, sub.stop());
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
