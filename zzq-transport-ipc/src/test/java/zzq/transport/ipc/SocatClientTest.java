package zzq.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.Client;
import zzq.engine.Subscription;

/**
 * A client that is not Java: {@code socat} carries raw MQTT 3.1.1 bytes over the broker's Unix socket (CONNECT,
 * SUBSCRIBE, PUBLISH) and gets CONNACK, SUBACK and its own message back; a Java client on the same broker gets the
 * message too. Needs socat (CI installs it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocatClientTest {
    private static final HexFormat HEX = HexFormat.of();
    /** CONNECT 3.1.1, clean session, keep alive 60, client id "s". */
    private static final byte[] CONNECT = HEX.parseHex("100d00044d5154540402003c000173");
    /** SUBSCRIBE packet id 1, filter "t" at QoS 0. */
    private static final byte[] SUBSCRIBE = HEX.parseHex("8206000100017400");
    /** PUBLISH QoS 0 to "t", payload "hi". */
    private static final byte[] PUBLISH = HEX.parseHex("300500017468" + "69");
    /** CONNACK accepted, no session present; SUBACK packet id 1, QoS 0 granted. */
    private static final byte[] CONNACK_SUBACK = HEX.parseHex("20020000" + "9003000100");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, broker native={1}")
    @CsvSource({"file, true", "file, false", "abstract, true"})
    @DisplayName("socat speaks raw MQTT over ipc and gets CONNACK, SUBACK and the message back")
    void socatSpeaksMqtt(String kind, boolean nativeIo) throws Exception {
        boolean isAbstract = kind.equals("abstract");
        assumeTrue(!isAbstract || IpcTests.EPOLL_EXPECTED, "abstract names need epoll");
        String name = "zzq-socat-" + UUID.randomUUID();
        Path file = dir.resolve("s.sock");
        String url = isAbstract ? "ipc://@" + name : "ipc://" + file;
        String socatAddress = isAbstract ? "ABSTRACT-CONNECT:" + name : "UNIX-CONNECT:" + file;
        try (Broker broker = IpcTests.broker(nativeIo);
             Client java = Client.connect(bind(broker, url), IpcTests.client(nativeIo, MqttVersion.V5))) {
            Subscription s = java.subscribe("t", QoS.AT_MOST_ONCE);
            Path errors = dir.resolve("socat.err");
            Process socat = new ProcessBuilder("socat", "-", socatAddress).redirectError(errors.toFile()).start();
            try {
                OutputStream in = socat.getOutputStream();
                in.write(CONNECT);
                in.write(SUBSCRIBE);
                in.flush();
                expect(socat, CONNACK_SUBACK);
                // PUBLISH after SUBACK: the subscription is in place, so the message comes back to its sender
                in.write(PUBLISH);
                in.flush();
                expect(socat, PUBLISH);
                in.close(); // socat half-closes; the broker sees the end of the stream and closes; socat exits
                assertTrue(socat.waitFor(IpcTests.WAIT.toSeconds(), TimeUnit.SECONDS), "socat exits");
                assertEquals(0, socat.exitValue(), () -> "socat: " + readQuietly(errors));
            } finally {
                socat.destroy();
            }
            ApplicationMessage m = s.receive(IpcTests.WAIT);
            assertEquals("hi", m == null ? null : m.payloadAsString(), "the Java client got socat's message");
        }
    }

    private static String readQuietly(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String bind(Broker broker, String url) {
        return broker.bind(url).toString();
    }

    /** Reads exactly as many bytes as {@code expected} from socat's output, within the wait, and compares them. */
    private static void expect(Process socat, byte[] expected) throws Exception {
        InputStream out = socat.getInputStream();
        byte[] got = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readNBytes(expected.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(IpcTests.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertArrayEquals(expected, got, "socat read " + HEX.formatHex(got));
    }
}
