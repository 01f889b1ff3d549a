package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.Subscription;
import zzq.testkit.TestCertificates;
import zzq.transport.tls.TlsOptions;
import zzq.transport.ws.WsOptions;

/**
 * MQTT.js (the npm package {@code mqtt}, its browser build) in Debian's headless Chromium against the zzq broker:
 * one page load checks MQTT 5.0 over {@code ws://} (subscribe, receive at every QoS and a message larger than the
 * broker's frame limit, publish at every QoS), the 3.1.1 and 3.1 handshakes (subprotocols {@code mqtt} and
 * {@code mqttv3.1}), the Origin allow-list as a browser meets it (the page's origin accepted, another listener's
 * refusal), and {@code wss://} (Chromium runs with {@code --ignore-certificate-errors}, since it does not trust the
 * test CA). The page reports over MQTT; the test also checks what the page published.
 *
 * <p>Needs {@code /usr/bin/chromium} (apt package {@code chromium}) and {@code npm ci} in
 * {@code zzq-interop-tests/mqttjs}: CI does both; a missing one fails the test, never skips it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrowserMqttJsTest extends BrokerFixture {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** MQTT.js's browser build, installed by {@code npm ci} from mqttjs/package-lock.json. */
    static final Path MQTT_JS = Path.of("mqttjs/node_modules/mqtt/dist/mqtt.min.js");
    /** The ws:// listener's frame limit: the large message must go out in several frames. */
    private static final int MAX_FRAME = 8 * 1024;
    private static final int BIG = 20 * 1024 + 7;
    private static final Duration PAGE_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private HttpServer http;
    private Process chromium;

    @AfterEach
    void stopBrowserAndServer() throws InterruptedException {
        if (chromium != null) {
            stop(chromium);
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    @DisplayName("MQTT.js in Chromium: ws:// 5.0/3.1.1/3.1, every QoS both ways, a multi-frame message, "
            + "the Origin allow-list, wss://")
    void mqttJsInChromium() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install the apt package chromium (CI does)");
        assertTrue(Files.isReadable(MQTT_JS), MQTT_JS.toAbsolutePath() + " is missing: run npm ci in "
                + "zzq-interop-tests/mqttjs (CI does)");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String pageOrigin = "http://127.0.0.1:" + http.getAddress().getPort();
        String ws = broker.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE
                .with(WsOptions.MAX_FRAME_SIZE, MAX_FRAME).with(WsOptions.ORIGINS, Set.of(pageOrigin))).toString();
        String forbidden = broker.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE
                .with(WsOptions.ORIGINS, Set.of("https://elsewhere.example"))).toString();
        TestCertificates certs = TestCertificates.shared();
        String wss = broker.bind("wss://127.0.0.1:0/mqtt", TransportOptions.NONE
                .with(TlsOptions.CERT_FILE, certs.serverCert()).with(TlsOptions.KEY_FILE, certs.serverKey()))
                .toString();
        String page = resource("/browser/mqttjs.html").replace("@WS_URL@", ws)
                .replace("@WS_FORBIDDEN_URL@", forbidden).replace("@WSS_URL@", wss)
                .replace("@BIG@", Integer.toString(BIG));
        serve("/index.html", "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
        serve("/mqtt.min.js", "text/javascript", Files.readAllBytes(MQTT_JS));
        http.start();

        try (Client test = Client.connect(tcpUri(), ZzqClients.options(MqttVersion.V5, "browser-test").build())) {
            Subscription fromPage = test.subscribe("browser/#", QoS.EXACTLY_ONCE);
            chromium = launch(pageOrigin + "/index.html");
            Map<String, ApplicationMessage> got = new LinkedHashMap<>();
            long deadline = System.nanoTime() + PAGE_WAIT.toNanos();
            while (!got.containsKey("browser/report")) {
                // the report comes over MQTT; a page that cannot connect says so only in its console
                ApplicationMessage m = fromPage.receive(Duration.ofMillis(200));
                if (m == null) {
                    String out = output();
                    if (out.contains("mqttjs: page=FAIL") || System.nanoTime() > deadline) {
                        fail("no report from the page; so far " + got.keySet() + "; Chromium said:\n" + out);
                    }
                    continue;
                }
                got.put(m.topic(), m);
                if (m.topic().equals("browser/ready")) {
                    sendToPage(test);
                }
            }
            String report = got.get("browser/report").payloadAsString();
            for (String check : List.of("connect-v5", "subscribe", "receive-qos0", "receive-qos1", "receive-qos2",
                    "receive-big", "publish", "v311", "v31", "origin-refused", "wss")) {
                assertTrue(report.contains(check + "=ok"), check + " failed in the page: " + report);
            }
            for (int q = 0; q <= 2; q++) {
                ApplicationMessage m = got.get("browser/out/" + q);
                assertNotNull(m, "the page's QoS " + q + " publish did not arrive: " + got.keySet());
                assertEquals("from browser at QoS " + q, m.payloadAsString());
                assertEquals(QoS.of(q), m.qos());
            }
            for (String name : List.of("v311", "v31", "wss")) {
                assertEquals(name, got.get("browser/out/" + name).payloadAsString());
            }
        }
    }

    /** What the page waits for once subscribed: a message at each QoS and one over the frame limit. */
    private static void sendToPage(Client test) {
        for (QoS q : QoS.values()) {
            test.publishAsync(ApplicationMessage.builder("browser/in/" + q.value())
                    .payload(("to browser at QoS " + q.value()).getBytes(StandardCharsets.UTF_8)).qos(q).build());
        }
        byte[] big = new byte[BIG];
        for (int i = 0; i < BIG; i++) {
            big[i] = (byte) (i % 251);
        }
        test.publishAsync(ApplicationMessage.builder("browser/in/big").payload(big).qos(QoS.AT_LEAST_ONCE).build());
    }

    private void serve(String path, String type, byte[] body) {
        http.createContext(path, (HttpExchange exchange) -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", type);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BrowserMqttJsTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Starts headless Chromium on {@code url} with a fresh profile, its output to a file. */
    private Process launch(String url) throws IOException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                // the wss:// listener's certificate comes from the test CA, which Chromium does not trust
                "--ignore-certificate-errors",
                "--enable-logging=stderr", "--v=0",
                "--user-data-dir=" + dir.resolve("profile"), url));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("TMPDIR", dir.toString()); // its sockets and temporary files go with the profile
        return pb.redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
    }

    /** Chromium's output so far, the page's console lines first, for a failure message. */
    private String output() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("chromium.log"), StandardCharsets.UTF_8);
        StringBuilder console = new StringBuilder();
        for (String line : lines) {
            if (line.contains("CONSOLE") || line.contains("mqttjs")) {
                console.append(line).append('\n');
            }
        }
        String all = String.join("\n", lines);
        return console + "---\n" + (all.length() > 6000 ? all.substring(all.length() - 6000) : all);
    }

    /** Ends Chromium and every process it started, within a bound. */
    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        p.destroy();
        family.forEach(ProcessHandle::destroy);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : family) {
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // gone some other way, or stuck past the bound: nothing more to do from here
            }
        }
    }
}
