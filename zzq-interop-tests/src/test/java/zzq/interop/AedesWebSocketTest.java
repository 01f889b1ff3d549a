package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MqttClientException;
import zzq.engine.Subscription;
import zzq.transport.ws.WsOptions;

/**
 * The zzq client over {@code ws://} against a WebSocket server that is not zzq's: the aedes MQTT broker (3.1.1)
 * behind the {@code ws} package's server, in Node.js (mqttjs/aedes-ws.mjs, installed by {@code npm ci}): the
 * upgrade and the {@code mqtt} subprotocol, every QoS, a packet split over many frames, and a refused path.
 * (Debian's Mosquitto 2.0.11 is built without WebSockets, so it cannot be this peer.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AedesWebSocketTest {
    static final Path SCRIPT = Path.of("mqttjs/aedes-ws.mjs");
    static final Path AEDES = Path.of("mqttjs/node_modules/aedes/package.json");

    private Process node;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private String url;

    @BeforeEach
    void startAedes() throws Exception {
        assertTrue(Files.isReadable(AEDES), AEDES.toAbsolutePath() + " is missing: run npm ci in "
                + "zzq-interop-tests/mqttjs (CI does)");
        try {
            node = new ProcessBuilder("node", SCRIPT.getFileName().toString()).directory(SCRIPT.getParent().toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("node (Node.js) could not be started: " + e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ended) {
                // the process was ended
            }
        }, "aedes-output");
        reader.setDaemon(true);
        reader.start();
        String line = awaitLine("listening ");
        url = "ws://127.0.0.1:" + line.substring("listening ".length()).trim() + "/mqtt";
    }

    @AfterEach
    void stopAedes() throws InterruptedException {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(5, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The next line of aedes-ws.mjs that starts with {@code prefix}; fails if none comes in time. */
    private String awaitLine(String prefix) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BrokerFixture.WAIT_SECONDS);
        while (true) {
            String line = output.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("aedes-ws.mjs printed no '" + prefix + "' line; it printed:\n" + seen);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
    }

    private static ClientOptions.Builder options(String clientId) {
        return ZzqClients.options(MqttVersion.V3_1_1, clientId);
    }

    @Test
    @DisplayName("the zzq client dials aedes over ws:// with subprotocol mqtt; messages at every QoS both ways")
    void everyQos() throws Exception {
        try (Client sub = Client.connect(url, options("zzq-sub").build());
             Client pub = Client.connect(url, options("zzq-pub").build())) {
            assertEquals("connection protocol=mqtt", awaitLine("connection"));
            Subscription s = sub.subscribe("aedes/#", QoS.EXACTLY_ONCE);
            for (QoS q : QoS.values()) {
                pub.publish("aedes/" + q.value(), ("via aedes " + q).getBytes(StandardCharsets.UTF_8), q, false);
                ApplicationMessage m = ZzqClients.next(s);
                assertEquals("aedes/" + q.value(), m.topic());
                assertEquals("via aedes " + q, m.payloadAsString());
                assertEquals(q, m.qos());
            }
        }
    }

    @Test
    @DisplayName("a publish ten times the client's frame limit goes out in many binary frames and arrives whole")
    void onePacketOverManyFrames() throws Exception {
        byte[] big = new byte[40 * 1024];
        new Random(3).nextBytes(big);
        ClientOptions smallFrames = options("zzq-small-frames")
                .transportOptions(TransportOptions.NONE.with(WsOptions.MAX_FRAME_SIZE, 4 * 1024)).build();
        try (Client sub = Client.connect(url, options("zzq-sub").build());
             Client pub = Client.connect(url, smallFrames)) {
            Subscription s = sub.subscribe("aedes/big", QoS.AT_LEAST_ONCE);
            pub.publish("aedes/big", big, QoS.AT_LEAST_ONCE, false);
            ApplicationMessage m = ZzqClients.next(s);
            ByteBuffer payload = m.payload();
            byte[] got = new byte[payload.remaining()];
            payload.get(got);
            assertArrayEquals(big, got);
        }
    }

    @Test
    @DisplayName("a path the server does not serve fails the connect with the HTTP status")
    void refusedPath() {
        String wrong = url.replace("/mqtt", "/other");
        MqttClientException e = assertThrows(MqttClientException.class,
                () -> Client.connect(wrong, options("zzq-lost").build()));
        String all = e + " / " + e.getCause();
        assertTrue(all.contains("refused the WebSocket upgrade") && all.contains("400"), all);
    }
}
