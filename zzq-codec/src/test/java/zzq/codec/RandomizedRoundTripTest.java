package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static zzq.codec.StreamFeeder.encode;
import static zzq.codec.StreamFeeder.hex;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/**
 * Thousands of random valid packets of every type, in MQTT 3.1, 3.1.1 and 5.0, survive encode, decode (whole, and
 * streamed in random chunks, alone and back to back) as equal values, and re-encode to the very same bytes.
 */
class RandomizedRoundTripTest {
    /** Packets per version and seed, a CONNECT first; three versions and five seeds make 3 750. */
    private static final int PACKETS = 250;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 0x5EEDL, 20_260_401L})
    void randomValidPacketsRoundTrip(long seed) {
        TrackingAllocator alloc = new TrackingAllocator();
        PacketGenerator gen = new PacketGenerator(seed);
        Random rnd = new Random(~seed);
        EnumSet<PropertyId> propertiesSeen = EnumSet.noneOf(PropertyId.class);
        EnumSet<ReasonCode> codesSeen = EnumSet.noneOf(ReasonCode.class);
        for (MqttVersion v : MqttVersion.values()) {
            List<MqttPacket> packets = packets(gen, v, alloc);
            try {
                assertEquals(PacketGenerator.types(v).size(), PacketGenerator.typesOf(packets).size(),
                        "seed " + seed + ", MQTT " + v + ": every packet type is generated");
                byte[][] encoded = new byte[packets.size()][];
                for (int i = 0; i < packets.size(); i++) {
                    MqttPacket p = packets.get(i);
                    int index = i;
                    Supplier<String> where = () -> "seed " + seed + ", MQTT " + v + ", packet #" + index + ": " + p;
                    encoded[i] = roundTripOne(p, v, alloc, rnd, where);
                    noteProperties(p, propertiesSeen);
                    if (v.isV5()) {
                        codesSeen.addAll(PacketParts.reasonCodes(p));
                    }
                }
                streamAll(seed, v, packets, encoded, alloc, rnd);
            } finally {
                StreamFeeder.releaseAll(packets);
            }
        }
        assertEquals(EnumSet.allOf(PropertyId.class), propertiesSeen, "seed " + seed + ": every property appears");
        assertEquals(EnumSet.allOf(ReasonCode.class), codesSeen, "seed " + seed + ": every reason code appears");
        assertEquals(List.of(), alloc.unreleased(), "seed " + seed + ": every buffer is released");
    }

    /**
     * A CONNECT of the version first, then every type three times, every reason code the version can say in
     * every packet that carries it, in 5.0 every type with every property it allows, an empty and a ~100 KB
     * PUBLISH, then random packets, all shuffled.
     */
    private static List<MqttPacket> packets(PacketGenerator gen, MqttVersion v, TrackingAllocator alloc) {
        List<MqttPacket> rest = new ArrayList<>();
        for (PacketType t : PacketGenerator.types(v)) {
            for (int k = 0; k < 3; k++) {
                rest.add(gen.packet(t, v, alloc));
            }
            for (ReasonCode code : PacketGenerator.codesOf(t, v)) {
                rest.add(gen.withReason(t, code, v));
            }
            if (v.isV5()) {
                rest.add(gen.withEveryProperty(t, alloc));
            }
        }
        rest.add(gen.publish(v, alloc, 0));
        rest.add(gen.publish(v, alloc, 90_000 + gen.random().nextInt(20_000)));
        while (rest.size() < PACKETS - 1) {
            rest.add(gen.any(v, alloc));
        }
        Collections.shuffle(rest, gen.random());
        List<MqttPacket> packets = new ArrayList<>(PACKETS);
        packets.add(gen.connect(v));
        packets.addAll(rest);
        return packets;
    }

    /** Encodes one packet and checks it decodes back whole and streamed; returns its bytes. */
    private static byte[] roundTripOne(MqttPacket p, MqttVersion v, TrackingAllocator alloc, Random rnd,
                                       Supplier<String> where) {
        byte[] bytes = encode(p, v, alloc);
        Supplier<String> ctx = () -> where.get() + "\n  bytes " + hex(bytes);
        assertEquals(MqttEncoder.encodedLength(p, v), bytes.length, ctx);
        assertEquals(p.type().value(), (bytes[0] & 0xFF) >>> 4, ctx);

        // appended to a batch buffer: the same bytes after what was there
        ByteBuf batch = alloc.heapBuffer(4);
        try {
            batch.writeByte(0x7A);
            MqttEncoder.encode(p, v, batch);
            assertEquals(bytes.length + 1, batch.readableBytes(), ctx);
            assertArrayEquals(bytes, StreamFeeder.bytes(batch.skipBytes(1)), ctx);
            if (p instanceof Publish publish) {
                batch.clear();
                int header = MqttEncoder.encodePublishHeader(publish, v, batch);
                batch.writeBytes(publish.payload(), publish.payload().readerIndex(), publish.payload().readableBytes());
                assertEquals(bytes.length - publish.payload().readableBytes(), header, ctx);
                assertArrayEquals(bytes, StreamFeeder.bytes(batch), ctx);
            }
        } finally {
            batch.release();
        }

        // decodeOne: a CONNECT names its own version, anything else is read in the connection's
        ByteBuf in = alloc.input(bytes, 0, bytes.length, rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(8) : 0);
        MqttPacket decoded = null;
        try {
            decoded = MqttDecoder.decodeOne(in, p instanceof Connect ? null : v);
            assertEquals(0, in.readableBytes(), ctx);
            assertEquals(p, decoded, ctx);
            assertArrayEquals(bytes, encode(decoded, v, alloc), ctx);
        } finally {
            in.release();
            if (decoded != null) {
                StreamFeeder.release(decoded);
            }
        }

        // streamed alone, in random chunks
        MqttDecoder decoder = p instanceof Connect
                ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)
                : MqttDecoder.forClient(v, bytes.length + rnd.nextInt(3));
        List<MqttPacket> out = new ArrayList<>(1);
        try {
            new StreamFeeder(decoder, alloc, rnd).feed(bytes, out::add);
            assertEquals(List.of(p), out, ctx);
            assertEquals(0, decoder.bufferedBytes(), ctx);
            assertEquals(v, decoder.version(), ctx);
            assertArrayEquals(bytes, encode(out.get(0), v, alloc), ctx);
        } finally {
            decoder.close();
            StreamFeeder.releaseAll(out);
        }
        return bytes;
    }

    /** All packets back to back, as a server reads them (CONNECT first) and as a client reads the rest. */
    private static void streamAll(long seed, MqttVersion v, List<MqttPacket> packets, byte[][] encoded,
                                  TrackingAllocator alloc, Random rnd) {
        ByteBuf all = alloc.heapBuffer();
        byte[] stream;
        try {
            for (MqttPacket p : packets) {
                MqttEncoder.encode(p, v, all);
            }
            stream = StreamFeeder.bytes(all);
        } finally {
            all.release();
        }
        int connectLength = encoded[0].length;
        int offset = 0;
        for (byte[] e : encoded) {
            byte[] expected = e;
            int at = offset;
            assertArrayEquals(expected, Arrays.copyOfRange(stream, at, at + expected.length),
                    () -> "seed " + seed + ", MQTT " + v + ": batched encoding differs at offset " + at);
            offset += e.length;
        }
        assertEquals(stream.length, offset);

        for (boolean server : new boolean[] {true, false}) {
            MqttDecoder decoder = server
                    ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)
                    : MqttDecoder.forClient(v, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
            if (server) {
                assertNull(decoder.version());
            }
            List<MqttPacket> expected = server ? packets : packets.subList(1, packets.size());
            List<MqttPacket> out = new ArrayList<>(expected.size());
            Supplier<String> ctx = () -> "seed " + seed + ", MQTT " + v + ", " + (server ? "server" : "client")
                    + " stream, " + out.size() + " packets decoded";
            try {
                new StreamFeeder(decoder, alloc, rnd).feed(stream, server ? 0 : connectLength, stream.length,
                        out::add);
                assertEquals(expected.size(), out.size(), ctx);
                for (int i = 0; i < expected.size(); i++) {
                    int index = i;
                    assertEquals(expected.get(i), out.get(i), () -> ctx.get() + ", mismatch at #" + index);
                    assertArrayEquals(encoded[server ? i : i + 1], encode(out.get(i), v, alloc),
                            () -> ctx.get() + ", re-encoding differs at #" + index);
                }
                assertEquals(0, decoder.bufferedBytes(), ctx);
                assertEquals(v, decoder.version(), ctx);
            } finally {
                decoder.close();
                StreamFeeder.releaseAll(out);
            }
        }
    }

    /** Records every property the packet (and its will) carries. */
    private static void noteProperties(MqttPacket p, EnumSet<PropertyId> seen) {
        PacketParts.properties(p).forEach(props -> note(props, seen));
    }

    private static void note(Properties props, EnumSet<PropertyId> seen) {
        for (int i = 0; i < props.size(); i++) {
            seen.add(props.idAt(i));
        }
    }
}
