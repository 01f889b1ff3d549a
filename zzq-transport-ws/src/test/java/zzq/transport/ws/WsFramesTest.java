package zzq.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.spi.Listener;
import zzq.api.spi.TransportOptions;

/**
 * An upgraded {@code ws://} connection, server side, between a raw WebSocket peer and a stand-in for the engine:
 * binary frames in any framing reach the engine as plain bytes, the engine's writes go out as binary frames, and
 * text, ping, close and oversized frames are handled as RFC 6455 and MQTT section 6 say.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsFramesTest {
    /** CONNECT (3.1.1, client id "a") and PINGREQ: two real MQTT packets, as a peer would send them. */
    private static final byte[] CONNECT = {0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C,
        0x00, 0x01, 'a'};
    private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
    private static final int MAX_FRAME = 1000;

    @RegisterExtension
    static final Loopback loop = new Loopback();
    private Listener listener;

    @AfterEach
    void unbind() {
        if (listener != null) {
            listener.close();
        }
    }

    /** A peer upgraded on a fresh listener with these options, and the engine's side of its channel. */
    private record Pair(RawWs peer, Loopback.EngineSide engine) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            peer.close();
        }
    }

    private Pair upgraded(TransportOptions options) throws Exception {
        listener = loop.bind("ws://127.0.0.1:0/mqtt", options.with(WsOptions.MAX_FRAME_SIZE, MAX_FRAME));
        RawWs peer = RawWs.connect(listener.endpoint().port());
        peer.upgrade("/mqtt");
        return new Pair(peer, loop.next());
    }

    private Pair upgraded() throws Exception {
        return upgraded(TransportOptions.NONE);
    }

    @Nested
    class In {
        @Test
        @DisplayName("a binary frame's payload reaches the engine as it is")
        void binaryFrame() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.BINARY, CONNECT);
                assertArrayEquals(CONNECT, p.engine().readBytes(CONNECT.length));
            }
        }

        @Test
        @DisplayName("many MQTT packets in one frame (MQTT-6.0.0-2)")
        void manyPacketsInOneFrame() throws Exception {
            try (Pair p = upgraded()) {
                byte[] both = concat(CONNECT, PINGREQ, PINGREQ);
                p.peer().send(true, RawWs.BINARY, both);
                assertArrayEquals(both, p.engine().readBytes(both.length));
            }
        }

        @Test
        @DisplayName("one MQTT packet over many frames: a binary frame and its continuations (MQTT-6.0.0-2)")
        void onePacketOverManyFrames() throws Exception {
            try (Pair p = upgraded()) {
                RawWs peer = p.peer();
                // CONNECT split at awkward places, even inside its fixed header; one message of three frames
                peer.sendAll(peer.frame(false, RawWs.BINARY, Arrays.copyOfRange(CONNECT, 0, 1)),
                        peer.frame(false, RawWs.CONTINUATION, Arrays.copyOfRange(CONNECT, 1, 7)),
                        peer.frame(true, RawWs.CONTINUATION, Arrays.copyOfRange(CONNECT, 7, CONNECT.length)));
                // then a message per half of a PINGREQ
                peer.send(true, RawWs.BINARY, new byte[] {PINGREQ[0]});
                peer.send(true, RawWs.BINARY, new byte[] {PINGREQ[1]});
                assertArrayEquals(concat(CONNECT, PINGREQ), p.engine().readBytes(CONNECT.length + 2));
            }
        }

        @Test
        @DisplayName("a ping inside a fragmented message is answered and the message still arrives whole")
        void pingBetweenFragments() throws Exception {
            try (Pair p = upgraded()) {
                RawWs peer = p.peer();
                peer.sendAll(peer.frame(false, RawWs.BINARY, Arrays.copyOfRange(CONNECT, 0, 5)),
                        peer.frame(true, RawWs.PING, "hi".getBytes(StandardCharsets.US_ASCII)),
                        peer.frame(true, RawWs.CONTINUATION, Arrays.copyOfRange(CONNECT, 5, CONNECT.length)));
                RawWs.Frame pong = peer.read();
                assertEquals(RawWs.PONG, pong.opcode());
                assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), pong.payload());
                assertArrayEquals(CONNECT, p.engine().readBytes(CONNECT.length));
            }
        }

        @Test
        @DisplayName("a ping is answered with a pong carrying the same data; a pong is ignored")
        void pingPong() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.PONG, new byte[] {9});
                byte[] data = {1, 2, 3, 4};
                p.peer().send(true, RawWs.PING, data);
                RawWs.Frame pong = p.peer().read();
                assertEquals(RawWs.PONG, pong.opcode());
                assertTrue(pong.fin());
                assertArrayEquals(data, pong.payload());
                assertTrue(p.engine().reads.isEmpty(), "control frames are not MQTT bytes");
            }
        }

        @Test
        @DisplayName("a text frame closes the connection with 1003 (MQTT-6.0.0-1) and the engine learns why")
        void textFrameCloses1003() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.TEXT, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
                RawWs.Frame close = p.peer().read();
                assertEquals(RawWs.CLOSE, close.opcode());
                assertEquals(1003, close.closeCode());
                p.peer().awaitEof();
                Throwable why = p.engine().errors.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
                assertInstanceOf(ProtocolException.class, why);
                assertTrue(why.getMessage().contains("1003"), why.getMessage());
                p.engine().awaitInactive();
                assertTrue(p.engine().reads.isEmpty());
            }
        }

        @Test
        @DisplayName("a frame over the size limit closes the connection with 1009")
        void oversizedFrameCloses1009() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.BINARY, new byte[MAX_FRAME]); // at the limit: fine
                assertEquals(MAX_FRAME, p.engine().readBytes(MAX_FRAME).length);
                p.peer().send(true, RawWs.BINARY, new byte[MAX_FRAME + 1]);
                RawWs.Frame close = p.peer().read();
                assertEquals(RawWs.CLOSE, close.opcode());
                assertEquals(1009, close.closeCode());
                p.peer().awaitEof();
                Throwable why = p.engine().errors.poll(Loopback.WAIT_SECONDS, TimeUnit.SECONDS);
                assertInstanceOf(ProtocolException.class, why, "a peer's fault, not a failure of ours");
                p.engine().awaitInactive();
            }
        }

        @Test
        @DisplayName("an unmasked frame from a client is a protocol error: close 1002")
        void unmaskedFrameCloses1002() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.BINARY, CONNECT, false);
                RawWs.Frame close = p.peer().read();
                assertEquals(1002, close.closeCode());
                p.peer().awaitEof();
                p.engine().awaitInactive();
            }
        }
    }

    @Nested
    class Out {
        @Test
        @DisplayName("the buffers of one write batch go out as one binary frame, unmasked")
        void oneFramePerBatch() throws Exception {
            try (Pair p = upgraded()) {
                byte[] a = {0x20, 0x02, 0x00, 0x00};
                byte[] b = {(byte) 0xD0, 0x00};
                p.engine().writeBatch(a, b, b);
                RawWs.Frame f = p.peer().read();
                assertEquals(RawWs.BINARY, f.opcode());
                assertTrue(f.fin());
                assertFalse(f.masked(), "a server's frames are not masked (RFC 6455 5.1)");
                assertArrayEquals(concat(a, b, b), f.payload());
                p.engine().writeBatch(b);
                assertArrayEquals(b, p.peer().read().payload(), "the next batch is the next frame");
            }
        }

        @Test
        @DisplayName("a batch longer than the frame limit goes out as several binary frames, none over the limit")
        void longBatchIsSplit() throws Exception {
            try (Pair p = upgraded()) {
                byte[] big = new byte[MAX_FRAME * 2 + 10];
                new Random(7).nextBytes(big);
                p.engine().writeBatch(Arrays.copyOfRange(big, 0, 300), Arrays.copyOfRange(big, 300, big.length));
                RawWs.Frame first = p.peer().read();
                RawWs.Frame second = p.peer().read();
                RawWs.Frame third = p.peer().read();
                for (RawWs.Frame f : new RawWs.Frame[] {first, second, third}) {
                    // whole binary messages, not continuations: peers such as Paho take only binary frames
                    assertEquals(RawWs.BINARY, f.opcode());
                    assertTrue(f.fin());
                }
                assertEquals(MAX_FRAME, first.payload().length);
                assertEquals(MAX_FRAME, second.payload().length);
                assertEquals(10, third.payload().length);
                assertArrayEquals(big, concat(first.payload(), second.payload(), third.payload()));
            }
        }

        @Test
        @DisplayName("the engine's close sends close frame 1000 after what it wrote, then closes TCP (server first)")
        void engineCloseSendsClose1000() throws Exception {
            try (Pair p = upgraded()) {
                byte[] disconnect = {(byte) 0xE0, 0x00};
                p.engine().writeBatch(disconnect);
                p.engine().closeAsEngine();
                assertArrayEquals(disconnect, p.peer().read().payload());
                RawWs.Frame close = p.peer().read();
                assertEquals(RawWs.CLOSE, close.opcode());
                assertEquals(1000, close.closeCode());
                p.peer().awaitEof();
                p.engine().awaitInactive();
            }
        }

        @Test
        @DisplayName("a close frame from the peer is answered with its code and the connection closed")
        void peerCloseIsAnswered() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.CLOSE, RawWs.closePayload(1001, "going away"));
                RawWs.Frame answer = p.peer().read();
                assertEquals(RawWs.CLOSE, answer.opcode());
                assertEquals(1001, answer.closeCode());
                p.peer().awaitEof();
                p.engine().awaitInactive();
                assertTrue(p.engine().errors.isEmpty(), "a clean close is no error: " + p.engine().errors);
            }
        }

        @Test
        @DisplayName("a close frame without a code is answered with 1000")
        void peerCloseWithoutCode() throws Exception {
            try (Pair p = upgraded()) {
                p.peer().send(true, RawWs.CLOSE, new byte[0]);
                assertEquals(1000, p.peer().readUntil(RawWs.CLOSE).closeCode());
                p.peer().awaitEof();
            }
        }

        @Test
        @DisplayName("with a ping interval, pings go out while nothing else does")
        void pingsWhileIdle() throws Exception {
            try (Pair p = upgraded(TransportOptions.NONE.with(WsOptions.PING_INTERVAL, Duration.ofMillis(50)))) {
                for (int i = 0; i < 3; i++) {
                    RawWs.Frame ping = p.peer().read();
                    assertEquals(RawWs.PING, ping.opcode(), "frame " + i);
                    p.peer().send(true, RawWs.PONG, ping.payload());
                }
                assertTrue(p.engine().reads.isEmpty());
                assertTrue(p.engine().channel.isActive());
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }
}
