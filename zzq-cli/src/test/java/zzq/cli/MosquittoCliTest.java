package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zzq pub} and {@code zzq sub} against a real Mosquitto broker, next to Mosquitto's own tools: the same
 * messages, properties and exit codes; and {@code zzq pub -l -q 1} keeping every line while Mosquitto (with
 * persistence) is stopped and started again mid-stream.
 */
@Timeout(120)
class MosquittoCliTest {
    @TempDir
    Path dir;

    @Test
    void zzqPubToZzqSubInEveryVersion() throws Exception {
        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir)) {
            for (String version : List.of("5", "mqttv311", "31")) {
                try (CliRun sub = CliRun.start(mosquitto.args("sub", "-t", "v/#", "-v", "-C", "3", "-q", "2",
                        "-V", version, "-d"))) {
                    sub.awaitErr(e -> e.contains("zzq sub: subscribed: "));
                    CliRun one = CliRun.run("", mosquitto.args("pub", "-t", "v/one", "-m", "hello", "-q", "1",
                            "-V", version));
                    assertEquals(0, one.awaitExit(), one.err());
                    CliRun lines = CliRun.run("a\nb\n", mosquitto.args("pub", "-t", "v/lines", "-l", "-q", "2",
                            "-V", version));
                    assertEquals(0, lines.awaitExit(), lines.err());
                    assertEquals(0, sub.awaitExit(), sub.err());
                    assertEquals("v/one hello\nv/lines a\nv/lines b\n", sub.out(), "MQTT " + version);
                }
            }
        }
    }

    /** mosquitto_sub sees what zzq pub sets (retain, -D publish properties); zzq sub sees mosquitto_pub's. */
    @Test
    void interworksWithMosquittoTools() throws Exception {
        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir)) {
            String port = Integer.toString(mosquitto.port());
            CliRun pub = CliRun.run("", mosquitto.args("pub", "-t", "props", "-m", "body", "-r", "-q", "1",
                    "-D", "publish", "user-property", "k", "v", "-D", "publish", "content-type", "text/x",
                    "-D", "publish", "correlation-data", "c1", "-D", "publish", "response-topic", "re/me"));
            assertEquals(0, pub.awaitExit(), pub.err());
            MosquittoBroker.Result seen = MosquittoBroker.run(MosquittoBroker.SUB, "-h", "127.0.0.1", "-p", port,
                    "-t", "props", "-V", "mqttv5", "-C", "1", "-F", "%r|%C|%P|%D|%R|%p");
            assertEquals(0, seen.exit(), seen.output());
            assertEquals("1|text/x|k:v|c1|re/me|body\n", seen.output());

            try (CliRun sub = CliRun.start(mosquitto.args("sub", "-t", "from/mosquitto", "-C", "1", "-V", "311",
                    "-d"))) {
                sub.awaitErr(e -> e.contains("zzq sub: subscribed: "));
                MosquittoBroker.Result sent = MosquittoBroker.run(MosquittoBroker.PUB, "-h", "127.0.0.1", "-p",
                        port, "-t", "from/mosquitto", "-m", "hi zzq");
                assertEquals(0, sent.exit(), sent.output());
                assertEquals(0, sub.awaitExit(), sub.err());
                assertEquals("hi zzq\n", sub.out());
            }
        }
    }

    /** The same exit codes as Mosquitto's tools: the CONNACK code on refusal, 27 on -W. */
    @Test
    void exitCodesMatchMosquittoTools() throws Exception {
        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir, "allow_anonymous false")) {
            String port = Integer.toString(mosquitto.port());
            for (String version : List.of("mqttv5", "mqttv311")) {
                int theirs = MosquittoBroker.run(MosquittoBroker.PUB, "-h", "127.0.0.1", "-p", port, "-t", "t",
                        "-m", "x", "-V", version).exit();
                assertEquals(version.equals("mqttv5") ? 135 : 5, theirs);
                assertEquals(theirs, CliRun.run("", mosquitto.args("pub", "-t", "t", "-m", "x", "-V", version))
                        .awaitExit());
                assertEquals(theirs, CliRun.run("", mosquitto.args("sub", "-t", "t", "-V", version)).awaitExit());
            }
        }
        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir)) {
            String port = Integer.toString(mosquitto.port());
            int theirs = MosquittoBroker.run(MosquittoBroker.SUB, "-h", "127.0.0.1", "-p", port, "-t", "t",
                    "-W", "1").exit();
            assertEquals(27, theirs);
            assertEquals(theirs, CliRun.run("", mosquitto.args("sub", "-t", "t", "-W", "1")).awaitExit());
        }
    }

    private static boolean hasEveryLine(String out) {
        for (int i = 0; i < 900; i++) {
            if (!out.contains("line " + i + "\n")) {
                return false;
            }
        }
        return true;
    }

    /**
     * zzq pub -l -q 1 while Mosquitto (persistence on) is stopped mid-stream and started again; zzq sub holds a
     * persistent session (-c), so Mosquitto keeps its messages through the restart. Every line arrives.
     */
    @Test
    void everyLineArrivesAcrossAMosquittoRestart() throws Exception {
        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir, "persistence true",
                "persistence_location " + dir + "/")) {
            try (CliRun sub = CliRun.start(mosquitto.args("sub", "-t", "lines", "-q", "1", "-c", "-i",
                    "zzq-durable-sub", "-d"));
                 CliRun pub = CliRun.start(mosquitto.args("pub", "-t", "lines", "-l", "-q", "1"))) {
                sub.awaitErr(e -> e.contains("zzq sub: subscribed: "));
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < 900; i++) {
                    all.append("line ").append(i).append('\n');
                }
                String text = all.toString();
                int third = text.indexOf("line 300\n");
                int twoThirds = text.indexOf("line 600\n");

                pub.write(text.substring(0, third));
                sub.awaitOut(o -> o.contains("line 10\n"));
                mosquitto.stop(); // mid-stream: some lines are on their way, some not yet read
                pub.awaitErr(e -> e.contains("zzq pub: connection lost"));
                pub.write(text.substring(third, twoThirds)); // read while the broker is down
                mosquitto.restart();
                pub.awaitErr(e -> e.contains("zzq pub: reconnected"));
                pub.write(text.substring(twoThirds));
                pub.closeStdin();
                assertEquals(0, pub.awaitExit(), pub.err());

                sub.awaitOut(MosquittoCliTest::hasEveryLine); // QoS 1: a line may come twice, none may be missing
                assertTrue(sub.err().contains("zzq sub: reconnected to mqtt://127.0.0.1:" + mosquitto.port()
                        + ", session resumed"), sub.err());
                // Mosquitto 2.0.11 sends a resumed backlog past a Receive Maximum of 100; zzq sub asks for 65535
                assertFalse(sub.err().contains("Receive Maximum"), sub.err());
                assertEquals(0, sub.stop());
            }
        }
    }
}
