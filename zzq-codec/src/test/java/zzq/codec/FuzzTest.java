package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static zzq.codec.StreamFeeder.encode;
import static zzq.codec.StreamFeeder.hex;
import static zzq.codec.StreamFeeder.versionFor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.codec.packet.Connect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.property.PropertyId;
import zzq.codec.property.PropertyType;
import zzq.codec.wire.FixedHeader;
import zzq.codec.wire.VariableByteInteger;

/**
 * Random, mutated and truncated bytes make the decoder throw nothing but {@link MalformedPacketException}, never
 * allocate much beyond what arrived, leak nothing, and emit only packets that re-encode and decode back equal.
 */
class FuzzTest {
    /** Versions {@code decodeOne} is asked to read in; null accepts only a CONNECT. */
    private static final MqttVersion[] DECODE_ONE_VERSIONS = {null, MqttVersion.V3_1, MqttVersion.V3_1_1,
        MqttVersion.V5};
    private static final MqttVersion[] VERSIONS = MqttVersion.values();

    /** Inputs per seed for decodeOne; each goes through all four versions. */
    private static final int DECODE_ONE_CASES = 6_000;
    /** Streams per seed; each goes to a server-side and a client-side decoder. */
    private static final int STREAM_CASES = 2_500;

    // ---------------------------------------------------------------- (a) + (d): decodeOne

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {101L, 202L, 303L})
    void decodeOneThrowsOnlyMalformedPacketAndWhatItDecodesReEncodes(long seed) {
        Random rnd = new Random(seed);
        PacketGenerator gen = new PacketGenerator(seed * 31, 100);
        TrackingAllocator alloc = new TrackingAllocator();
        Tally tally = new Tally();
        for (int i = 0; i < DECODE_ONE_CASES; i++) {
            MqttVersion v = VERSIONS[rnd.nextInt(VERSIONS.length)];
            Case c = fuzzPacket(rnd, gen, v, alloc);
            for (MqttVersion readAs : DECODE_ONE_VERSIONS) {
                int index = i;
                Supplier<String> ctx = () -> "seed " + seed + ", case #" + index + " (" + c.how + "), decodeOne as "
                        + readAs + ", input " + hex(c.bytes);
                decodeOne(c.bytes, readAs, rnd, alloc, tally, ctx);
            }
        }
        // the generator is biased enough to get past the fixed header and produce packets as well as errors
        assertTrue(tally.decoded > DECODE_ONE_CASES / 4, "seed " + seed + ": " + tally);
        assertTrue(tally.malformed > DECODE_ONE_CASES, "seed " + seed + ": " + tally);
        assertTrue(tally.rules.size() >= 25, "seed " + seed + ": " + tally);
    }

    private static void decodeOne(byte[] input, MqttVersion readAs, Random rnd, TrackingAllocator alloc,
                                  Tally tally, Supplier<String> ctx) {
        ByteBuf in = alloc.input(input, 0, input.length, rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(8) : 0);
        alloc.resetCounts();
        MqttPacket packet = null;
        try {
            try {
                packet = MqttDecoder.decodeOne(in, readAs);
            } catch (MalformedPacketException e) {
                tally.malformed(e, ctx);
            } catch (Throwable t) {
                fail(ctx.get() + "\n  threw " + t, t);
            }
            assertEquals(0, alloc.allocations(), () -> ctx.get() + ": decodeOne allocated a buffer");
            if (packet != null) {
                tally.decoded++;
                assertFalse(in.isReadable(), ctx);
                if (readAs == null) {
                    assertTrue(packet instanceof Connect, ctx);
                }
                reEncodes(packet, readAs == null ? ((Connect) packet).version() : readAs, alloc, ctx);
            }
        } finally {
            if (packet != null) {
                StreamFeeder.release(packet);
            }
            in.release();
        }
        assertEquals(0, in.refCnt(), () -> ctx.get() + ": the input is still retained");
        assertEquals(List.of(), alloc.unreleased(), ctx);
        alloc.reset();
    }

    /** (d) A decoded packet encodes without throwing, and decodes from that back to an equal packet. */
    private static void reEncodes(MqttPacket packet, MqttVersion connection, TrackingAllocator alloc,
                                  Supplier<String> ctx) {
        MqttVersion v = versionFor(packet, connection);
        byte[] again;
        try {
            again = encode(packet, v, alloc);
        } catch (Throwable t) {
            throw new AssertionError(ctx.get() + "\n  decoded " + packet + " cannot be encoded in " + v, t);
        }
        ByteBuf in = alloc.input(again);
        MqttPacket back = null;
        try {
            back = MqttDecoder.decodeOne(in, packet instanceof Connect ? null : v);
            assertEquals(packet, back, () -> ctx.get() + "\n  re-encoded as " + hex(again));
            assertArrayEquals(again, encode(back, v, alloc), ctx);
        } catch (MalformedPacketException e) {
            throw new AssertionError(ctx.get() + "\n  decoded " + packet + " re-encodes to bytes that do not decode: "
                    + hex(again), e);
        } finally {
            in.release();
            if (back != null) {
                StreamFeeder.release(back);
            }
        }
    }

    // ---------------------------------------------------------------- (a) + (c) + (d): streaming

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {505L, 606L, 707L})
    void streamingDecodersThrowOnlyMalformedPacketAndAllocateOnlyWhatArrives(long seed) {
        Random rnd = new Random(seed);
        PacketGenerator gen = new PacketGenerator(seed * 17, 100);
        TrackingAllocator alloc = new TrackingAllocator();
        Tally tally = new Tally();
        for (int i = 0; i < STREAM_CASES; i++) {
            MqttVersion v = VERSIONS[rnd.nextInt(VERSIONS.length)];
            int index = i;

            // server side: a CONNECT (valid most of the time) and then packets of its version, some mutated
            Case server = rnd.nextInt(10) == 0 ? fuzzPacket(rnd, gen, v, alloc) : streamCase(rnd, gen, v, alloc, true);
            MqttDecoder s = MqttDecoder.forServer(maximumPacketSize(rnd, server.bytes));
            stream(s, server, rnd, alloc, tally, () -> "seed " + seed + ", case #" + index + " (" + server.how
                    + "), forServer(" + s.maximumPacketSize() + "), input " + hex(server.bytes));

            Case client = streamCase(rnd, gen, v, alloc, false);
            MqttDecoder c = MqttDecoder.forClient(v, maximumPacketSize(rnd, client.bytes));
            stream(c, client, rnd, alloc, tally, () -> "seed " + seed + ", case #" + index + " (" + client.how
                    + "), forClient(" + v + ", " + c.maximumPacketSize() + "), input " + hex(client.bytes));
        }
        assertTrue(tally.decoded > STREAM_CASES, "seed " + seed + ": " + tally);
        assertTrue(tally.malformed > STREAM_CASES / 2, "seed " + seed + ": " + tally);
        assertTrue(tally.rules.contains("3.1.2.11.4"), "seed " + seed + ": " + tally);
    }

    private static int maximumPacketSize(Random rnd, byte[] input) {
        return rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(input.length + 8) : MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE;
    }

    private static void stream(MqttDecoder decoder, Case c, Random rnd, TrackingAllocator alloc, Tally tally,
                               Supplier<String> ctx) {
        List<MqttPacket> out = new ArrayList<>();
        StreamFeeder feeder = new StreamFeeder(decoder, alloc, rnd);
        try {
            boolean failed = false;
            try {
                feeder.feed(c.bytes, out::add);
            } catch (MalformedPacketException e) {
                failed = true;
                tally.malformed(e, ctx);
            } catch (AssertionError e) {
                throw new AssertionError(ctx.get() + "\n  " + e.getMessage(), e);
            } catch (Throwable t) {
                fail(ctx.get() + "\n  threw " + t, t);
            }
            if (failed) {
                assertEquals(0, decoder.bufferedBytes(), () -> ctx.get() + ": a failed decoder holds bytes back");
                ByteBuf more = alloc.input(new byte[] {(byte) 0xC0, 0});
                try {
                    assertThrows(IllegalStateException.class, () -> decoder.decode(more, out::add), ctx);
                } finally {
                    more.release();
                }
            } else {
                assertTrue(decoder.bufferedBytes() <= c.bytes.length, ctx);
            }
            tally.decoded += out.size();
            for (MqttPacket p : out) {
                if (decoder.version() == null) {
                    fail(ctx.get() + ": a packet came out but the server-side decoder has no version");
                }
                reEncodes(p, decoder.version(), alloc, () -> ctx.get() + "\n  packet " + p);
            }
        } finally {
            decoder.close();
            StreamFeeder.releaseAll(out);
        }
        assertEquals(0, decoder.bufferedBytes(), ctx);
        assertEquals(List.of(), alloc.unreleased(), () -> ctx.get() + ": buffers not released");
        alloc.reset();
    }

    // ---------------------------------------------------------------- (b): truncation

    @Test
    void everyTruncationOfAValidPacketIsMalformedWholeAndAwaitedStreamed() {
        long seed = 909L;
        Random rnd = new Random(seed);
        PacketGenerator gen = new PacketGenerator(seed, 200);
        TrackingAllocator alloc = new TrackingAllocator();
        TrackingAllocator payloads = new TrackingAllocator();
        int truncations = 0;
        for (MqttVersion v : VERSIONS) {
            List<MqttPacket> sample = new ArrayList<>();
            for (PacketType t : PacketGenerator.types(v)) {
                for (int k = 0; k < 3; k++) {
                    sample.add(gen.packet(t, v, payloads));
                }
                if (v.isV5()) {
                    sample.add(gen.withEveryProperty(t, payloads));
                }
            }
            try {
                for (MqttPacket p : sample) {
                    truncations += truncations(p, v, rnd, alloc, seed);
                }
            } finally {
                StreamFeeder.releaseAll(sample);
            }
        }
        assertTrue(truncations > 5_000, "truncations tried: " + truncations);
        assertEquals(List.of(), alloc.unreleased());
        assertEquals(List.of(), payloads.unreleased());
    }

    private static int truncations(MqttPacket p, MqttVersion v, Random rnd, TrackingAllocator alloc, long seed) {
        byte[] bytes = encode(p, v, alloc);
        boolean connect = p instanceof Connect;
        for (int length = 0; length < bytes.length; length++) {
            int cut = length;
            Supplier<String> ctx = () -> "seed " + seed + ", MQTT " + v + ", " + p + " cut to " + cut + " of "
                    + bytes.length + " bytes: " + hex(Arrays.copyOf(bytes, cut));

            ByteBuf in = alloc.input(bytes, 0, cut, rnd.nextInt(4) == 0 ? 3 : 0);
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class,
                        () -> MqttDecoder.decodeOne(in, connect ? null : v), ctx);
                assertEquals(ReasonCode.MALFORMED_PACKET, e.reasonCode(), ctx);
                assertEquals("2.1.4", e.rule(), ctx);
            } finally {
                in.release();
            }

            MqttDecoder decoder = connect ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)
                    : MqttDecoder.forClient(v, bytes.length);
            List<MqttPacket> out = new ArrayList<>(1);
            try {
                StreamFeeder feeder = new StreamFeeder(decoder, alloc, rnd);
                try {
                    feeder.feed(bytes, 0, cut, out::add);
                } catch (MalformedPacketException e) {
                    throw new AssertionError(ctx.get() + ": the streaming decoder must wait, not fail", e);
                }
                assertEquals(List.of(), out, ctx);
                assertEquals(cut, decoder.bufferedBytes(), ctx);
                // the rest completes it
                feeder.feed(bytes, cut, bytes.length, out::add);
                assertEquals(List.of(p), out, ctx);
                assertEquals(0, decoder.bufferedBytes(), ctx);
            } finally {
                decoder.close();
                StreamFeeder.releaseAll(out);
            }
            assertEquals(List.of(), alloc.unreleased(), ctx);
            alloc.reset();
        }
        return bytes.length;
    }

    // ---------------------------------------------------------------- (c): bounded allocation

    @Test
    void headersClaimingUpTo256MegabytesAllocateOnlyWhatArrives() {
        long seed = 1_001L;
        Random rnd = new Random(seed);
        TrackingAllocator alloc = new TrackingAllocator();
        int[] claims = {127, 128, 1_000, 16_383, 16_384, 65_536, 2_097_151, 2_097_152, 16 << 20, 64 << 20,
            VariableByteInteger.MAX_VALUE - 1, VariableByteInteger.MAX_VALUE};
        for (int round = 0; round < 6; round++) {
            for (int claim : claims) {
                for (boolean server : new boolean[] {true, false}) {
                    MqttVersion v = VERSIONS[rnd.nextInt(VERSIONS.length)];
                    int first = server ? 0x10 : pick(rnd, 0x30, 0x32, 0x3D, 0x82, 0x90, 0xA2, v.isV5() ? 0xF0 : 0xE0);
                    ByteArrayOutputStream header = new ByteArrayOutputStream();
                    header.write(first);
                    writeVbi(header, claim);
                    int bodyBytes = Math.min(claim - 1, rnd.nextInt(4) == 0 ? 60_000 : rnd.nextInt(3_000));
                    byte[] input = new byte[header.size() + bodyBytes];
                    rnd.nextBytes(input);
                    System.arraycopy(header.toByteArray(), 0, input, 0, header.size());
                    Supplier<String> ctx = () -> (server ? "forServer" : "forClient(" + v + ")") + ", header claims "
                            + claim + " bytes, " + input.length + " bytes fed: " + hex(input, 16);

                    MqttDecoder decoder = server ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)
                            : MqttDecoder.forClient(v, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
                    List<MqttPacket> out = new ArrayList<>();
                    try {
                        StreamFeeder feeder = new StreamFeeder(decoder, alloc, rnd);
                        feeder.feed(input, out::add);
                        assertEquals(List.of(), out, ctx);
                        assertEquals(input.length, decoder.bufferedBytes(), ctx);
                        long total = alloc.allocatedBytes();
                        assertTrue(total <= 4L * input.length + 512,
                                () -> ctx.get() + ": allocated " + total + " bytes in all");
                    } finally {
                        decoder.close();
                        StreamFeeder.releaseAll(out);
                    }
                    assertEquals(0, decoder.bufferedBytes(), ctx);
                    assertEquals(List.of(), alloc.unreleased(), ctx);

                    // whole-packet decoding allocates nothing and refuses the short packet
                    ByteBuf in = Unpooled.wrappedBuffer(input);
                    alloc.resetCounts();
                    MalformedPacketException e = assertThrows(MalformedPacketException.class,
                            () -> MqttDecoder.decodeOne(in, server ? null : v), ctx);
                    assertEquals("2.1.4", e.rule(), ctx);
                    in.release();

                    // a decoder with a smaller Maximum Packet Size refuses the header before buffering anything
                    int maximum = 2 + rnd.nextInt(Math.min(claim, 100_000));
                    MqttDecoder small = server ? MqttDecoder.forServer(maximum) : MqttDecoder.forClient(v, maximum);
                    try {
                        MalformedPacketException tooLarge = assertThrows(MalformedPacketException.class,
                                () -> new StreamFeeder(small, alloc, rnd).feed(input, out::add), ctx);
                        assertEquals(ReasonCode.PACKET_TOO_LARGE, tooLarge.reasonCode(), ctx);
                        assertEquals(0, small.bufferedBytes(), ctx);
                        assertTrue(alloc.largestAllocation() <= FixedHeader.MAX_LENGTH, ctx);
                    } finally {
                        small.close();
                    }
                    assertEquals(List.of(), out, ctx);
                    assertEquals(List.of(), alloc.unreleased(), ctx);
                    alloc.reset();
                }
            }
        }
    }

    private static void writeVbi(ByteArrayOutputStream out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static int pick(Random rnd, int... options) {
        return options[rnd.nextInt(options.length)];
    }

    // ---------------------------------------------------------------- inputs

    /** Fuzz input and how it was made, for failure messages. */
    private record Case(byte[] bytes, String how) {
    }

    /** A stream: a CONNECT of the version first (server side), then one to four packets, valid or mutated. */
    private static Case streamCase(Random rnd, PacketGenerator gen, MqttVersion v, TrackingAllocator alloc,
                               boolean server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder how = new StringBuilder();
        if (server) {
            Case connect = rnd.nextInt(4) == 0 ? mutant(rnd, valid(gen.connect(v), v, alloc))
                    : new Case(valid(gen.connect(v), v, alloc), "CONNECT");
            out.writeBytes(connect.bytes);
            how.append(connect.how);
        }
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            Case next = rnd.nextInt(3) == 0 ? new Case(valid(gen.any(v, alloc), v, alloc), "valid")
                    : fuzzPacket(rnd, gen, v, alloc);
            out.writeBytes(next.bytes);
            how.append(how.length() == 0 ? "" : " + ").append(next.how);
        }
        return new Case(out.toByteArray(), how.toString());
    }

    /**
     * One fuzzed input: random bytes of many lengths (1 in 10), a valid first byte and matching remaining length
     * over a random body (1 in 5), or a mutated valid packet.
     */
    private static Case fuzzPacket(Random rnd, PacketGenerator gen, MqttVersion v, TrackingAllocator alloc) {
        int r = rnd.nextInt(20);
        if (r < 2) {
            int k = rnd.nextInt(10);
            byte[] b = new byte[k < 6 ? rnd.nextInt(8) : k < 9 ? rnd.nextInt(300) : rnd.nextInt(5_000)];
            rnd.nextBytes(b);
            return new Case(b, "random bytes");
        }
        if (r < 6) {
            return new Case(framed(rnd, firstByte(rnd, v), randomBody(rnd, v)), "valid header, random body");
        }
        return mutant(rnd, valid(gen.any(v, alloc), v, alloc));
    }

    /** The bytes of a valid packet; its payload, if any, is released. */
    private static byte[] valid(MqttPacket p, MqttVersion v, TrackingAllocator alloc) {
        try {
            return encode(p, v, alloc);
        } finally {
            StreamFeeder.release(p);
        }
    }

    /** A first byte that passes the fixed-header checks for some type (PUBLISH flags random, QoS 3 rarely). */
    private static int firstByte(Random rnd, MqttVersion v) {
        List<PacketType> types = PacketGenerator.types(v);
        PacketType t = types.get(rnd.nextInt(types.size()));
        if (t == PacketType.PUBLISH) {
            int flags = rnd.nextInt(16);
            if ((flags & 6) == 6 && rnd.nextInt(4) != 0) {
                flags &= ~4;
            }
            return 0x30 | flags;
        }
        return t.value() << 4 | t.requiredFlags();
    }

    /** A body that often looks right: a packet identifier or short fields, then properties, then noise. */
    private static byte[] randomBody(Random rnd, MqttVersion v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prefix = rnd.nextInt(4);
        for (int i = 0; i < prefix; i++) {
            out.write(rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256));
        }
        if (v.isV5() && rnd.nextBoolean()) {
            byte[] props = randomProperties(rnd);
            int length = rnd.nextInt(5) == 0 ? props.length + rnd.nextInt(7) - 3 : props.length;
            writeVbi(out, Math.max(0, length));
            out.writeBytes(props);
        }
        int tail = rnd.nextInt(3) == 0 ? rnd.nextInt(40) : 0;
        for (int i = 0; i < tail; i++) {
            out.write(rnd.nextInt(256));
        }
        return out.toByteArray();
    }

    /** Property identifiers with values of roughly the right shape, and sometimes the wrong one. */
    private static byte[] randomProperties(Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PropertyId[] ids = PropertyId.values();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            PropertyId id = ids[rnd.nextInt(ids.length)];
            out.write(rnd.nextInt(12) == 0 ? rnd.nextInt(256) : id.id());
            int valueBytes = switch (id.type()) {
                case BYTE -> 1;
                case TWO_BYTE_INTEGER -> 2;
                case FOUR_BYTE_INTEGER -> 4;
                case VARIABLE_BYTE_INTEGER -> 1 + rnd.nextInt(4);
                case UTF8_STRING, BINARY_DATA -> -1;
                case UTF8_STRING_PAIR -> -2;
            };
            if (valueBytes > 0) {
                for (int k = 0; k < valueBytes; k++) {
                    out.write(id.type() == PropertyType.BYTE && rnd.nextInt(4) != 0 ? rnd.nextInt(2)
                            : id.type() == PropertyType.VARIABLE_BYTE_INTEGER && k < valueBytes - 1
                            ? 0x80 | rnd.nextInt(128) : rnd.nextInt(256));
                }
            } else {
                for (int s = 0; s < -valueBytes; s++) {
                    int len = rnd.nextInt(6);
                    int claimed = rnd.nextInt(8) == 0 ? len + rnd.nextInt(5) : len;
                    out.write(claimed >>> 8);
                    out.write(claimed & 0xFF);
                    for (int k = 0; k < len; k++) {
                        out.write(rnd.nextInt(8) == 0 ? 0x80 + rnd.nextInt(128) : 'a' + rnd.nextInt(26));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** The first byte, a remaining length that matches the body, and the body. */
    private static byte[] framed(Random rnd, int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        writeVbi(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * A valid packet mutated: its body gets bit flips, byte changes, insertions, deletions, truncation or extra
     * bytes; its first byte sometimes changes; and its remaining length mostly matches the new body (so the
     * body's parser is reached), else stays as it was or is corrupted (wrong, over-long, not minimal, cut).
     */
    private static Case mutant(Random rnd, byte[] valid) {
        int vbiLength = 1;
        while ((valid[vbiLength] & 0x80) != 0) {
            vbiLength++;
        }
        int first = valid[0] & 0xFF;
        List<Byte> body = new ArrayList<>();
        for (int i = 1 + vbiLength; i < valid.length; i++) {
            body.add(valid[i]);
        }
        StringBuilder how = new StringBuilder("mutated " + PacketType.of(first >>> 4) + ":");
        int mutations = 1 + rnd.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int at = body.isEmpty() ? 0 : rnd.nextInt(body.size());
            switch (rnd.nextInt(9)) {
                case 0, 1 -> {
                    if (!body.isEmpty()) {
                        body.set(at, (byte) (body.get(at) ^ (1 << rnd.nextInt(8))));
                        how.append(" flip@").append(at);
                    }
                }
                case 2 -> {
                    if (!body.isEmpty()) {
                        body.set(at, (byte) pick(rnd, 0, 0xFF, 0x7F, 0x80, 0x01, rnd.nextInt(256)));
                        how.append(" set@").append(at);
                    }
                }
                case 3 -> {
                    int n = 1 + rnd.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        body.add(Math.min(at, body.size()), (byte) rnd.nextInt(256));
                    }
                    how.append(" insert").append(n).append('@').append(at);
                }
                case 4 -> {
                    int n = Math.min(body.size() - at, 1 + rnd.nextInt(4));
                    for (int k = 0; k < n; k++) {
                        body.remove(at);
                    }
                    how.append(" delete").append(n).append('@').append(at);
                }
                case 5 -> {
                    int keep = body.isEmpty() ? 0 : rnd.nextInt(body.size());
                    body.subList(keep, body.size()).clear();
                    how.append(" truncate@").append(keep);
                }
                case 6 -> {
                    int n = 1 + rnd.nextInt(8);
                    for (int k = 0; k < n; k++) {
                        body.add((byte) rnd.nextInt(256));
                    }
                    how.append(" append").append(n);
                }
                case 7 -> {
                    // a two-byte length field (string, binary, packet identifier) made to lie
                    if (body.size() >= 2) {
                        int at2 = Math.min(at, body.size() - 2);
                        int value = pick(rnd, 0, 0xFFFF, 0x8000, 1, rnd.nextInt(0x10000));
                        body.set(at2, (byte) (value >>> 8));
                        body.set(at2 + 1, (byte) value);
                        how.append(" short@").append(at2);
                    }
                }
                default -> {
                    first = rnd.nextBoolean() ? first ^ (1 << rnd.nextInt(4)) : first ^ (1 << (4 + rnd.nextInt(4)));
                    how.append(" first=0x").append(Integer.toHexString(first));
                }
            }
        }
        byte[] bodyBytes = new byte[body.size()];
        for (int i = 0; i < bodyBytes.length; i++) {
            bodyBytes[i] = body.get(i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        int r = rnd.nextInt(20);
        if (r < 14) {
            writeVbi(out, bodyBytes.length);
        } else if (r < 16) {
            out.write(valid, 1, vbiLength);
            how.append(" old-length");
        } else if (r == 16) {
            writeVbi(out, rnd.nextInt(VariableByteInteger.MAX_VALUE + 1));
            how.append(" random-length");
        } else if (r == 17) {
            // not minimally encoded: a continuation byte too many, then a zero byte
            int length = bodyBytes.length;
            ByteArrayOutputStream vbi = new ByteArrayOutputStream();
            writeVbi(vbi, length);
            byte[] b = vbi.toByteArray();
            b[b.length - 1] |= (byte) 0x80;
            out.writeBytes(b);
            out.write(0);
            how.append(" non-minimal-length");
        } else if (r == 18) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
            how.append(" five-byte-length");
        } else {
            writeVbi(out, Math.max(0, bodyBytes.length + rnd.nextInt(7) - 3));
            how.append(" off-by-some-length");
        }
        out.writeBytes(bodyBytes);
        return new Case(out.toByteArray(), how.toString());
    }

    /** Counts outcomes, to prove the fuzzing reaches both decoded packets and many distinct errors. */
    private static final class Tally {
        int decoded;
        int malformed;
        final Set<String> rules = new TreeSet<>();

        void malformed(MalformedPacketException e, Supplier<String> ctx) {
            malformed++;
            assertNotNull(e.reasonCode(), ctx);
            assertTrue(e.reasonCode().isError(), ctx);
            assertTrue(e.reasonCode().isAllowedIn(PacketType.DISCONNECT) || e.reasonCode().isAllowedIn(
                    PacketType.CONNACK), () -> ctx.get() + ": " + e.reasonCode() + " cannot answer a bad packet");
            assertFalse(e.rule().isEmpty(), ctx);
            rules.add(e.rule());
        }

        @Override
        public String toString() {
            return decoded + " decoded, " + malformed + " malformed, rules " + rules;
        }
    }
}
