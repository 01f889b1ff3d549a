package zzq.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.TransportOptions;

/**
 * Dialing {@code ws://}: the upgrade request a client sends (path, subprotocol {@code mqtt}, extra headers, no
 * Origin), how it takes the answers a server may give, masking, and both ways of closing. The server is a raw
 * socket the test drives byte by byte, or the transport's own listener.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsClientTest {
    @RegisterExtension
    static final Loopback loop = new Loopback();
    private ServerSocket server;

    @BeforeEach
    void rawServer() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.WAIT_SECONDS));
    }

    @AfterEach
    void closeServer() throws IOException {
        server.close();
    }

    private Future<Channel> dial(String pathAndQuery, TransportOptions options) {
        return loop.transport.connect(Endpoint.parse("ws://127.0.0.1:" + server.getLocalPort() + pathAndQuery),
                options, loop.context);
    }

    /** Accepts the dial, reads its request and answers 101 with {@code subprotocol} (none if null). */
    private RawWs accept(Map<String, String> request, String subprotocol) throws IOException {
        Socket s = server.accept();
        RawWs ws = RawWs.accepted(s);
        request.putAll(ws.readRequest());
        ws.writeRaw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + RawWs.acceptOf(request.get("sec-websocket-key")) + "\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n") + "\r\n");
        return ws;
    }

    private static Throwable failureOf(Future<Channel> dial) throws InterruptedException {
        assertTrue(dial.await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS), "the dial did not end");
        assertTrue(!dial.isSuccess(), "the dial succeeded");
        return dial.cause();
    }

    @Test
    @DisplayName("the request: GET of the URL's path and query, subprotocol mqtt (MQTT-6.0.0-3), extra headers, "
            + "no Origin")
    void upgradeRequest() throws Exception {
        TransportOptions headers = TransportOptions.NONE.with(WsOptions.HEADERS,
                Map.of("Authorization", "Bearer abc", "X-Tenant", "t1"));
        Future<Channel> dial = dial("/mqtt?client=1", headers);
        Map<String, String> request = new java.util.HashMap<>();
        try (RawWs ws = accept(request, "mqtt")) {
            Channel ch = dial.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("GET /mqtt?client=1 HTTP/1.1", request.get(""));
            assertEquals("mqtt", request.get("sec-websocket-protocol"));
            assertEquals("13", request.get("sec-websocket-version"));
            assertEquals("127.0.0.1:" + server.getLocalPort(), request.get("host"));
            assertEquals("Bearer abc", request.get("authorization"));
            assertEquals("t1", request.get("x-tenant"));
            assertNull(request.get("origin"), "not a browser: no Origin");
            Loopback.EngineSide engine = loop.next();
            assertEquals(ch, engine.channel);
        }
    }

    @Test
    void aUrlWithoutPathAsksForSlash() throws Exception {
        Future<Channel> dial = dial("", TransportOptions.NONE);
        Map<String, String> request = new java.util.HashMap<>();
        try (RawWs ws = accept(request, "mqtt")) {
            dial.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("GET / HTTP/1.1", request.get(""));
        }
    }

    @Test
    @DisplayName("after the upgrade: the client's frames are masked binary frames; the server's, in any framing, "
            + "reach the engine as bytes")
    void framesBothWays() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE);
        try (RawWs ws = accept(new java.util.HashMap<>(), "mqtt")) {
            dial.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            Loopback.EngineSide engine = loop.next();
            byte[] connect = {0x10, 0x02, 0x00, 0x00};
            engine.writeBatch(connect);
            RawWs.Frame f = ws.read();
            assertEquals(RawWs.BINARY, f.opcode());
            assertTrue(f.masked(), "a client masks its frames (RFC 6455 5.3)");
            assertArrayEquals(connect, f.payload());
            // CONNACK split over a binary frame and a continuation, unmasked as a server's are
            ws.sendAll(RawWs.frame(false, RawWs.BINARY, new byte[] {0x20, 0x02}, null),
                    RawWs.frame(true, RawWs.CONTINUATION, new byte[] {0x00, 0x00}, null));
            assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, engine.readBytes(4));
            ws.send(true, RawWs.PING, new byte[] {7}, false);
            RawWs.Frame pong = ws.read();
            assertEquals(RawWs.PONG, pong.opcode());
            assertArrayEquals(new byte[] {7}, pong.payload());
        }
    }

    @Test
    @DisplayName("the client's close: close frame 1000, then it waits for the server's answer before TCP closes")
    void clientCloseWaitsForTheAnswer() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE);
        try (RawWs ws = accept(new java.util.HashMap<>(), "mqtt")) {
            Channel ch = dial.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            Loopback.EngineSide engine = loop.next();
            engine.writeBatch(new byte[] {(byte) 0xE0, 0x00});
            engine.closeAsEngine();
            assertArrayEquals(new byte[] {(byte) 0xE0, 0x00}, ws.read().payload(), "the DISCONNECT goes first");
            RawWs.Frame close = ws.read();
            assertEquals(RawWs.CLOSE, close.opcode());
            assertEquals(1000, close.closeCode());
            assertTrue(ch.isOpen(), "the client waits for the server's close frame");
            ws.send(true, RawWs.CLOSE, RawWs.closePayload(1000, ""), false);
            assertTrue(ch.closeFuture().await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
            ws.awaitEof();
        }
    }

    @Test
    @DisplayName("a client whose close frame gets no answer closes TCP itself, within the bound")
    void clientCloseWithoutAnswer() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE);
        try (RawWs ws = accept(new java.util.HashMap<>(), "mqtt")) {
            Channel ch = dial.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            loop.next();
            long start = System.nanoTime();
            io.netty.channel.ChannelFuture closed = ch.close();
            assertEquals(1000, ws.read().closeCode());
            ws.awaitEof();
            assertTrue(closed.await(Loopback.WAIT_SECONDS, TimeUnit.SECONDS));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= WsFrames.CLOSE_WAIT_MILLIS - 100, "closed after " + tookMillis + " ms");
        }
    }

    @Test
    @DisplayName("the server's close frame is answered with its code, and the engine sees the channel close")
    void serverCloseIsAnswered() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE);
        try (RawWs ws = accept(new java.util.HashMap<>(), "mqtt")) {
            dial.get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            Loopback.EngineSide engine = loop.next();
            ws.send(true, RawWs.CLOSE, RawWs.closePayload(1001, "bye"), false);
            RawWs.Frame answer = ws.read();
            assertEquals(RawWs.CLOSE, answer.opcode());
            assertEquals(1001, answer.closeCode());
            engine.awaitInactive();
        }
    }

    @Test
    @DisplayName("a refusal fails the dial with an IOException naming the HTTP status and the server's reason")
    void refusalIsAnIOException() throws Exception {
        try (Listener l = loop.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE)) {
            Future<Channel> dial = loop.transport.connect(Endpoint.parse("ws://127.0.0.1:" + l.endpoint().port()
                    + "/wrong"), TransportOptions.NONE, loop.context);
            Throwable e = failureOf(dial);
            assertInstanceOf(IOException.class, e);
            assertTrue(e.getMessage().contains("404") && e.getMessage().contains("/wrong"), e.getMessage());
            assertNull(loop.handedOver.poll(), "nothing reaches the engine");
        }
    }

    @Test
    @DisplayName("a 101 without the mqtt subprotocol fails the dial (MQTT-6.0.0-4)")
    void answerWithoutSubprotocolFails() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE);
        try (RawWs ws = accept(new java.util.HashMap<>(), null)) {
            Throwable e = failureOf(dial);
            assertInstanceOf(IOException.class, e);
            assertTrue(e.getMessage().contains("subprotocol"), e.getMessage());
            ws.awaitEof();
        }
    }

    @Test
    void noAnswerWithinTheHandshakeTimeoutFailsTheDial() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE.with(WsOptions.HANDSHAKE_TIMEOUT,
                Duration.ofMillis(200)));
        try (Socket silent = server.accept()) {
            Throwable e = failureOf(dial);
            assertInstanceOf(IOException.class, e);
            assertTrue(e.getMessage().contains("no WebSocket upgrade"), e.getMessage());
        }
    }

    @Test
    void aServerThatClosesDuringTheUpgradeFailsTheDial() throws Exception {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE);
        server.accept().close();
        Throwable e = failureOf(dial);
        assertInstanceOf(IOException.class, e);
    }

    @Test
    void nothingListeningFailsTheDial() throws Exception {
        int port = server.getLocalPort();
        server.close();
        Throwable e = failureOf(loop.transport.connect(Endpoint.parse("ws://127.0.0.1:" + port + "/mqtt"),
                TransportOptions.NONE, loop.context));
        assertInstanceOf(java.net.ConnectException.class, e);
    }

    @Test
    void anIllegalHeaderNameFailsTheDialAtOnce() {
        Future<Channel> dial = dial("/mqtt", TransportOptions.NONE.with(WsOptions.HEADERS, Map.of("Bad Name", "x")));
        assertTrue(dial.isDone());
        assertInstanceOf(IllegalArgumentException.class, dial.cause());
    }

    @Test
    @DisplayName("the transport's client and listener together: bytes both ways")
    void againstTheListener() throws Exception {
        try (Listener l = loop.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE)) {
            Channel ch = loop.transport.connect(l.endpoint(), TransportOptions.NONE, loop.context)
                    .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            Loopback.EngineSide first = loop.next();
            Loopback.EngineSide second = loop.next();
            Loopback.EngineSide client = first.channel == ch ? first : second;
            Loopback.EngineSide served = client == first ? second : first;
            client.writeBatch(new byte[] {1, 2}, new byte[] {3});
            assertArrayEquals(new byte[] {1, 2, 3}, served.readBytes(3));
            served.writeBatch(new byte[] {4});
            assertArrayEquals(new byte[] {4}, client.readBytes(1));
            client.closeAsEngine();
            served.awaitInactive();
            client.awaitInactive();
        }
    }

    @Test
    @DisplayName("IPv6: a listener on [::1] and a dial of ws://[::1]:port/mqtt (Host header in brackets)")
    void ipv6() throws Exception {
        try (Listener l = loop.bind("ws://[::1]:0/mqtt", TransportOptions.NONE)) {
            assertEquals("ws://[::1]:" + l.endpoint().port() + "/mqtt", l.endpoint().toString());
            Channel ch = loop.transport.connect(l.endpoint(), TransportOptions.NONE, loop.context)
                    .get(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
            Loopback.EngineSide first = loop.next();
            Loopback.EngineSide second = loop.next();
            Loopback.EngineSide served = first.channel == ch ? second : first;
            assertEquals(l.endpoint(), served.endpoint);
            ch.close();
            served.awaitInactive();
        }
    }
}
