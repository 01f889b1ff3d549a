package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import zzq.codec.packet.Connect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;

/**
 * Feeds bytes to one streaming decoder in randomly sized chunks (single bytes, a few random cuts, runs of a
 * random size, empty reads), each chunk a fresh buffer from a {@link TrackingAllocator}, and checks after every
 * read that no allocation of the decoder exceeded twice the bytes fed so far plus 256.
 */
final class StreamFeeder {
    private final MqttDecoder decoder;
    private final TrackingAllocator alloc;
    private final Random rnd;
    private long fed;

    StreamFeeder(MqttDecoder decoder, TrackingAllocator alloc, Random rnd) {
        this.decoder = decoder;
        this.alloc = alloc;
        this.rnd = rnd;
        alloc.resetCounts();
    }

    MqttDecoder decoder() {
        return decoder;
    }

    /** Bytes fed so far. */
    long fed() {
        return fed;
    }

    /** Feeds {@code bytes[from, to)}; decoded packets go to {@code sink}; whatever decode throws propagates. */
    void feed(byte[] bytes, int from, int to, Consumer<? super MqttPacket> sink) {
        int mode = rnd.nextInt(5);
        int run = new int[] {8, 64, 1024, 8192}[rnd.nextInt(4)];
        int pos = from;
        while (pos < to) {
            int left = to - pos;
            int n = switch (mode) {
                case 0 -> left;
                case 1 -> left <= 2048 ? 1 : 1 + rnd.nextInt(Math.min(left, 64));
                case 2 -> 1 + rnd.nextInt(left);
                default -> 1 + rnd.nextInt(Math.min(left, run));
            };
            if (rnd.nextInt(40) == 0) {
                n = 0; // an empty read changes nothing
            }
            int padding = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(16) : 0;
            ByteBuf chunk = alloc.input(bytes, pos, n, padding);
            pos += n;
            fed += n;
            try {
                decoder.decode(chunk, sink);
                assertEquals(0, chunk.readableBytes(), "decode must consume every readable byte");
            } finally {
                chunk.release();
                long bound = 2 * fed + 256;
                int largest = alloc.largestAllocation();
                assertTrue(largest <= bound, () -> "the decoder allocated " + largest + " bytes after "
                        + fed + " bytes were fed (bound " + bound + "); held back " + decoder.bufferedBytes());
            }
        }
    }

    /** Feeds all of {@code bytes}. */
    void feed(byte[] bytes, Consumer<? super MqttPacket> sink) {
        feed(bytes, 0, bytes.length, sink);
    }

    // ---- helpers shared by the randomized tests

    /** The bytes of a readable buffer, without moving its indexes. */
    static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    /** The packet as {@code version} writes it, as an array; the buffer it was written to is released. */
    static byte[] encode(MqttPacket packet, MqttVersion version, ByteBufAllocator alloc) {
        ByteBuf buf = MqttEncoder.encode(packet, version, alloc);
        try {
            return bytes(buf);
        } finally {
            buf.release();
        }
    }

    /** The version a packet is written in on a connection of {@code version}: a CONNECT names its own. */
    static MqttVersion versionFor(MqttPacket packet, MqttVersion version) {
        return packet instanceof Connect c ? c.version() : version;
    }

    /** Releases a PUBLISH's payload; other packets hold no buffer. */
    static void release(MqttPacket packet) {
        if (packet instanceof Publish p) {
            p.payload().release();
        }
    }

    static void releaseAll(Collection<? extends MqttPacket> packets) {
        packets.forEach(StreamFeeder::release);
    }

    /** Hex of the bytes, cut after {@code limit} bytes for very large inputs. */
    static String hex(byte[] bytes, int limit) {
        if (bytes.length <= limit) {
            return HexFormat.of().formatHex(bytes);
        }
        return HexFormat.of().formatHex(bytes, 0, limit) + "...(" + bytes.length + " bytes)";
    }

    static String hex(byte[] bytes) {
        return hex(bytes, 512);
    }
}
