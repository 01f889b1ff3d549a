package zzq.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.TransportOptions;

/**
 * A {@code ws://} listener's HTTP side: which upgrade requests it accepts (path, Origin, method, headers,
 * subprotocols, version), what it answers the others, and that only upgraded channels reach the engine.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsUpgradeTest {
    @RegisterExtension
    static final Loopback loop = new Loopback();

    /** What a test opened (listeners, peers), closed after it, last first. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @AfterEach
    void closeOpened() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    /** A listener bound now and closed after the test. */
    private Listener listener(String url, TransportOptions options) throws Exception {
        Listener l = loop.bind(url, options);
        opened.push(l);
        return l;
    }

    /** A raw peer connected to {@code l}, closed after the test. */
    private RawWs peer(Listener l) throws Exception {
        RawWs ws = RawWs.connect(l.endpoint().port());
        opened.push(ws);
        return ws;
    }

    /** A raw peer connected to a new listener of {@code url}; both closed after the test. */
    private RawWs peer(String url, TransportOptions options) throws Exception {
        return peer(listener(url, options));
    }

    @Test
    void servesWsOnPort80ByDefault() {
        assertEquals(Set.of("ws", "wss"), loop.transport.schemes());
        assertEquals(80, loop.transport.defaultPort("ws"));
    }

    @Test
    void portZeroBindsARealPortAndKeepsThePath() throws Exception {
        try (Listener l = loop.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE)) {
            assertTrue(l.endpoint().port() > 0);
            assertEquals("/mqtt", l.endpoint().path());
            try (RawWs ws = RawWs.connect(l.endpoint().port())) {
                ws.upgrade("/mqtt");
                Endpoint handed = loop.next().endpoint;
                assertEquals(l.endpoint(), handed, "the channel comes with the listener's bound endpoint");
            }
        }
    }

    @Nested
    class Paths {
        @Test
        @DisplayName("a listener with a path answers that exact path only; others get 404 and never reach the engine")
        void exactPathOr404() throws Exception {
            try (Listener l = loop.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE)) {
                for (String other : new String[] {"/", "/mqtt/", "/mqttx", "/MQTT", "/other/mqtt"}) {
                    try (RawWs ws = RawWs.connect(l.endpoint().port())) {
                        RawWs.Response r = ws.request("GET", other, RawWs.upgradeHeaders("mqtt"));
                        assertEquals(404, r.status(), other + ": " + r);
                        ws.awaitEof();
                    }
                }
                try (RawWs ws = RawWs.connect(l.endpoint().port())) {
                    assertEquals(101, ws.request("GET", "/mqtt?token=x", RawWs.upgradeHeaders("mqtt")).status(),
                            "the query is not part of the path");
                }
                assertEquals(l.endpoint(), loop.next().endpoint);
                assertNull(loop.handedOver.poll(), "refused requests reach no engine");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"/", "/mqtt", "/any/thing?x=1"})
        void aListenerWithoutPathAnswersAnyPath(String path) throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0", TransportOptions.NONE);
            ws.upgrade(path);
            loop.next();
        }

        @Test
        void anAbsoluteFormTargetIsMatchedByItsPath() {
            assertEquals("/mqtt", WsServerUpgrade.pathOf("http://example.com:8080/mqtt?x"));
            assertEquals("/", WsServerUpgrade.pathOf("http://example.com"));
            assertEquals("/a", WsServerUpgrade.pathOf("/a?b=/c"));
        }
    }

    @Nested
    class Origins {
        private final TransportOptions allowList = TransportOptions.NONE
                .with(WsOptions.ORIGINS, Set.of("https://app.example.com", "HTTP://LOCALHOST:8080"));

        @Test
        @DisplayName("a browser's request from an origin not on the list is refused with 403")
        void otherOriginIs403() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", allowList);
            Map<String, String> h = RawWs.upgradeHeaders("mqtt");
            h.put("Origin", "https://evil.example.com");
            RawWs.Response r = ws.request("GET", "/mqtt", h);
            assertEquals(403, r.status(), r.toString());
            assertTrue(r.body().contains("https://evil.example.com"), r.body());
            ws.awaitEof();
            assertNull(loop.handedOver.poll());
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://app.example.com", "http://localhost:8080", "HTTPS://App.Example.com"})
        void listedOriginsAreAcceptedWhateverTheirCase(String origin) throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", allowList);
            Map<String, String> h = RawWs.upgradeHeaders("mqtt");
            h.put("Origin", origin);
            assertEquals(101, ws.request("GET", "/mqtt", h).status());
            loop.next();
        }

        @Test
        void aRequestWithoutOriginIsNotABrowsersAndIsAccepted() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", allowList);
            ws.upgrade("/mqtt");
            loop.next();
        }

        @Test
        void withoutAnAllowListEveryOriginIsAccepted() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            Map<String, String> h = RawWs.upgradeHeaders("mqtt");
            h.put("Origin", "https://anywhere.example.com");
            assertEquals(101, ws.request("GET", "/mqtt", h).status());
            loop.next();
        }

        @Test
        void anAllowListOfNonStringsIsRefusedAtBind() {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Set<String> bad = (Set) Set.of(42);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loop.bind("ws://127.0.0.1:0", TransportOptions.NONE.with(WsOptions.ORIGINS, bad)));
            assertTrue(e.getMessage().contains("ws.origins"), e.getMessage());
        }
    }

    @Nested
    class Subprotocols {
        @ParameterizedTest
        @DisplayName("the server answers with the MQTT subprotocol the client offers first (MQTT-6.0.0-4)")
        @CsvSource(delimiter = '|', value = {"mqtt|mqtt", "mqttv3.1.1|mqttv3.1.1", "mqttv3.1|mqttv3.1",
            "chat, mqtt|mqtt", "mqttv3.1, mqtt|mqttv3.1"})
        void answersTheFirstMqttSubprotocolOffered(String offered, String expected) throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            RawWs.Response r = ws.request("GET", "/mqtt", RawWs.upgradeHeaders(offered));
            assertEquals(101, r.status(), r.toString());
            assertEquals(expected, r.header("Sec-WebSocket-Protocol"));
            loop.next();
        }

        @Test
        void aClientOfferingNoMqttSubprotocolIsRefused() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            RawWs.Response r = ws.request("GET", "/mqtt", RawWs.upgradeHeaders("chat, stomp"));
            assertEquals(400, r.status(), r.toString());
            assertTrue(r.body().contains("mqtt"), r.body());
            assertNull(loop.handedOver.poll());
        }

        @Test
        void aClientOfferingNoSubprotocolAtAllIsAcceptedWithoutOne() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            RawWs.Response r = ws.request("GET", "/mqtt", RawWs.upgradeHeaders(null));
            assertEquals(101, r.status(), r.toString());
            assertNull(r.header("Sec-WebSocket-Protocol"));
            loop.next();
        }
    }

    @Nested
    class NotUpgrades {
        @Test
        void aPlainGetIs426UpgradeRequired() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            RawWs.Response r = ws.request("GET", "/mqtt", Map.of("Host", "127.0.0.1"));
            assertEquals(426, r.status(), r.toString());
            assertEquals("websocket", r.header("Upgrade"));
            ws.awaitEof();
        }

        @Test
        void aPostIs405() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            Map<String, String> h = RawWs.upgradeHeaders("mqtt");
            h.put("Content-Length", "0");
            RawWs.Response r = ws.request("POST", "/mqtt", h);
            assertEquals(405, r.status(), r.toString());
            assertEquals("GET", r.header("Allow"));
        }

        @ParameterizedTest
        @DisplayName("a WebSocket version other than RFC 6455's 13 (a draft, or none) is 426 naming version 13")
        @ValueSource(strings = {"99", "8", ""})
        void otherWebSocketVersionsAre426NamingVersion13(String version) throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            Map<String, String> h = RawWs.upgradeHeaders("mqtt");
            if (version.isEmpty()) {
                h.remove("Sec-WebSocket-Version");
            } else {
                h.put("Sec-WebSocket-Version", version);
            }
            RawWs.Response r = ws.request("GET", "/mqtt", h);
            assertEquals(426, r.status(), r.toString());
            assertEquals("13", r.header("Sec-WebSocket-Version"));
            assertNull(loop.handedOver.poll());
        }

        @Test
        void anUpgradeWithoutKeyIs400() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            ws.writeRaw("GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            RawWs.Response r = ws.readResponse();
            assertEquals(400, r.status(), r.toString());
            assertNull(loop.handedOver.poll());
        }

        @Test
        void garbageIs400() throws Exception {
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", TransportOptions.NONE);
            ws.writeRaw("\u0010\u0000\u0004MQTT garbage that is no HTTP\r\n\r\n");
            RawWs.Response r = ws.readResponse();
            assertEquals(400, r.status(), r.toString());
            ws.awaitEof();
        }

        @Test
        @DisplayName("a connection that does not upgrade within the handshake timeout is closed")
        void slowUpgradeIsClosed() throws Exception {
            TransportOptions quick = TransportOptions.NONE.with(WsOptions.HANDSHAKE_TIMEOUT, Duration.ofMillis(200));
            RawWs ws = peer("ws://127.0.0.1:0/mqtt", quick);
            ws.writeRaw("GET /mqtt HTTP/1.1\r\nHost: x\r\n"); // and no more
            ws.awaitEof();
            assertNull(loop.handedOver.poll());
        }

        @Test
        void badOptionValuesAreRefusedAtBind() {
            assertThrows(IllegalArgumentException.class, () -> loop.bind("ws://127.0.0.1:0",
                    TransportOptions.NONE.with(WsOptions.MAX_FRAME_SIZE, 0)));
            assertThrows(IllegalArgumentException.class, () -> loop.bind("ws://127.0.0.1:0",
                    TransportOptions.NONE.with(WsOptions.PING_INTERVAL, Duration.ZERO)));
            assertThrows(IllegalArgumentException.class, () -> loop.bind("ws://127.0.0.1:0",
                    TransportOptions.NONE.with(WsOptions.HANDSHAKE_TIMEOUT, Duration.ofSeconds(-1))));
        }
    }
}
