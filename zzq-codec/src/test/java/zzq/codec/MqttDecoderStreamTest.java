package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/**
 * The streaming decoder frames any sequence of reads into the same packets, holds back at most the one packet in
 * flight, refuses oversized packets from their fixed header, and hands out payloads that own their bytes.
 */
class MqttDecoderStreamTest {
    /** Seed of the random chunkings; each trial uses SEED + trial and names both in its failure messages. */
    static final long SEED = 0x2D0C0DE5EEDL;
    static final int TRIALS = 200;
    static final int MAX = MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE;

    /** Payloads of the expected packets, released after each test. */
    private final List<ByteBuf> expectedPayloads = new ArrayList<>();

    @AfterEach
    void releaseExpectedPayloads() {
        expectedPayloads.forEach(ByteBuf::release);
        expectedPayloads.clear();
    }

    ByteBuf payload(String text) {
        ByteBuf b = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
        expectedPayloads.add(b);
        return b;
    }

    static BinaryData binary(String text) {
        return BinaryData.of(text.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sessions: the packets one side of a connection reads, in order.
    // ---------------------------------------------------------------------------------------------------------

    enum Side {
        /** A 5.0 client's packets as the server reads them, CONNECT first. */
        SERVER_V5(true, MqttVersion.V5),
        /** A 3.1.1 client's packets as the server reads them. */
        SERVER_V3(true, MqttVersion.V3_1_1),
        /** A 5.0 server's packets as the client reads them. */
        CLIENT_V5(false, MqttVersion.V5),
        /** A 3.1.1 server's packets as the client reads them. */
        CLIENT_V3(false, MqttVersion.V3_1_1),
        /** A 5.0 session with PUBLISH packets of 20 000 bytes: three-byte remaining lengths. */
        SERVER_V5_LARGE(true, MqttVersion.V5);

        final boolean server;
        final MqttVersion version;

        Side(boolean server, MqttVersion version) {
            this.server = server;
            this.version = version;
        }

        MqttDecoder decoder() {
            return server ? MqttDecoder.forServer(MAX) : MqttDecoder.forClient(version, MAX);
        }
    }

    List<MqttPacket> packets(Side side) {
        return switch (side) {
            case SERVER_V5 -> serverV5();
            case SERVER_V3 -> serverV3();
            case CLIENT_V5 -> clientV5();
            case CLIENT_V3 -> clientV3();
            case SERVER_V5_LARGE -> serverV5Large();
        };
    }

    Connect connect5() {
        Will will = new Will("will/topic", binary("bye"), QoS.AT_LEAST_ONCE, true, Properties.builder()
                .add(PropertyId.WILL_DELAY_INTERVAL, 5).add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1).build());
        return new Connect(MqttVersion.V5, "client-1", false, 30, "user", binary("secret"), will,
                Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 3600)
                        .add(PropertyId.RECEIVE_MAXIMUM, 20).add(PropertyId.MAXIMUM_PACKET_SIZE, 1 << 20)
                        .userProperty("k", "v").build());
    }

    List<MqttPacket> serverV5() {
        Properties rich = Properties.builder().add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60).add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.RESPONSE_TOPIC, "reply/1").add(PropertyId.CORRELATION_DATA, binary("corr"))
                .userProperty("a", "1").userProperty("a", "2").build();
        Properties alias = Properties.builder().add(PropertyId.TOPIC_ALIAS, 3).build();
        return List.of(
                connect5(),
                Publish.atMostOnce("a/b", payload("hello")),
                new Publish("sensors/\u20ac/temp", QoS.AT_LEAST_ONCE, false, false, 1, rich, payload("x".repeat(300))),
                new Publish("t", QoS.EXACTLY_ONCE, true, true, 2, alias, payload("")),
                new Publish("", QoS.AT_MOST_ONCE, false, false, 0, alias, payload("aliased")),
                new Puback(7),
                new Pubrec(8, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                        Properties.builder().add(PropertyId.REASON_STRING, "nobody").build()),
                new Pubrel(9),
                new Pubcomp(10, ReasonCode.SUCCESS, Properties.builder().userProperty("u", "p").build()),
                new Subscribe(11, List.of(
                        new Subscription("a/+", new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, true,
                                RetainHandling.SEND_IF_NEW_SUBSCRIPTION)),
                        new Subscription("$share/g/#", SubscriptionOptions.of(QoS.EXACTLY_ONCE))),
                        Properties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455).build()),
                new Unsubscribe(12, List.of("a/+", "$share/g/#"), Properties.builder().userProperty("w", "x").build()),
                Pingreq.INSTANCE,
                new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.builder()
                        .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                        .add(PropertyId.AUTHENTICATION_DATA, binary("client-first")).build()),
                Publish.atMostOnce("last", payload("!")),
                new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
                        Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 0).build()));
    }

    List<MqttPacket> serverV3() {
        MqttVersion v3 = MqttVersion.V3_1_1;
        return List.of(
                new Connect(v3, "c3", true, 60, "u", binary("pw"),
                        new Will("w", binary("gone"), QoS.EXACTLY_ONCE, false, Properties.EMPTY), Properties.EMPTY),
                Publish.atMostOnce("a/b", payload("hello")),
                new Publish("q/1", QoS.AT_LEAST_ONCE, true, false, 1, Properties.EMPTY, payload("y".repeat(200))),
                new Publish("q/2", QoS.EXACTLY_ONCE, false, true, 65_535, Properties.EMPTY, payload("")),
                new Puback(3), new Pubrec(4), new Pubrel(4), new Pubcomp(4),
                new Subscribe(5, List.of(new Subscription("a/#", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                        new Subscription("+/x", SubscriptionOptions.of(QoS.AT_MOST_ONCE))), Properties.EMPTY),
                new Unsubscribe(6, List.of("a/#"), Properties.EMPTY),
                Pingreq.INSTANCE,
                Disconnect.NORMAL);
    }

    List<MqttPacket> clientV5() {
        return List.of(
                new Connack(false, ReasonCode.SUCCESS, Properties.builder()
                        .add(PropertyId.RECEIVE_MAXIMUM, 10).add(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                        .add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "gen-1").add(PropertyId.MAXIMUM_QOS, 1)
                        .add(PropertyId.RETAIN_AVAILABLE, 0).add(PropertyId.SERVER_KEEP_ALIVE, 45).build()),
                new Publish("a/b", QoS.AT_LEAST_ONCE, false, false, 1, Properties.builder()
                        .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 1).add(PropertyId.SUBSCRIPTION_IDENTIFIER, 2)
                        .build(), payload("for two subscriptions")),
                new Suback(11, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED),
                        Properties.builder().add(PropertyId.REASON_STRING, "no sharing").build()),
                new Unsuback(12, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY),
                new Puback(2, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY),
                new Pubrec(3), new Pubrel(3), new Pubcomp(3),
                Pingresp.INSTANCE,
                new Auth(ReasonCode.SUCCESS, Properties.builder()
                        .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256").build()),
                new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, Properties.builder()
                        .add(PropertyId.SERVER_REFERENCE, "other:1883").add(PropertyId.REASON_STRING, "bye").build()));
    }

    List<MqttPacket> clientV3() {
        return List.of(
                new Connack(true),
                Publish.atMostOnce("a/b", payload("hello")),
                new Suback(1, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY),
                new Unsuback(2),
                new Puback(3), new Pubrec(4), new Pubrel(4), new Pubcomp(4),
                Pingresp.INSTANCE);
    }

    List<MqttPacket> serverV5Large() {
        return List.of(
                connect5(),
                new Publish("big/1", QoS.AT_LEAST_ONCE, false, false, 1, Properties.EMPTY,
                        payload("0123456789".repeat(2_000))),
                Pingreq.INSTANCE,
                Publish.atMostOnce("big/2", payload("abcdefghij".repeat(2_000))),
                Publish.atMostOnce("small", payload("s")));
    }

    /** The session's bytes, each packet encoded into an exactly sized pooled buffer as a writer would. */
    static byte[] encode(List<MqttPacket> packets, MqttVersion version) {
        ByteBuf all = Unpooled.buffer();
        try {
            for (MqttPacket p : packets) {
                ByteBuf one = MqttEncoder.encode(p, version, PooledByteBufAllocator.DEFAULT);
                try {
                    assertEquals(MqttEncoder.encodedLength(p, version), one.readableBytes());
                    all.writeBytes(one);
                } finally {
                    one.release();
                }
            }
            return ByteBufUtil.getBytes(all);
        } finally {
            all.release();
        }
    }

    /** Where each packet of the session ends in its bytes. */
    static int[] ends(List<MqttPacket> packets, MqttVersion version) {
        int[] ends = new int[packets.size()];
        int at = 0;
        for (int i = 0; i < ends.length; i++) {
            at += MqttEncoder.encodedLength(packets.get(i), version);
            ends[i] = at;
        }
        return ends;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Feeding.
    // ---------------------------------------------------------------------------------------------------------

    static ByteBuf pooledRead(byte[] stream, int from, int to) {
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, to - from));
        in.writeBytes(stream, from, to - from);
        return in;
    }

    static ByteBuf pooledRead(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
        return pooledRead(b, 0, b.length);
    }

    /** Feeds stream[from, to) as one pooled direct read, as a channel would, and releases the read after. */
    static void feed(MqttDecoder decoder, byte[] stream, int from, int to, List<MqttPacket> out) {
        ByteBuf in = pooledRead(stream, from, to);
        try {
            decoder.decode(in, out::add);
            assertEquals(0, in.readableBytes(), "decode reads every byte it is given");
        } finally {
            in.release();
        }
    }

    static void releaseAll(List<MqttPacket> packets) {
        for (MqttPacket p : packets) {
            if (p instanceof Publish publish) {
                publish.payload().release();
            }
        }
        packets.clear();
    }

    /**
     * The packets with each PUBLISH payload copied into an untracked heap buffer. The leak detector records every
     * access to a tracked buffer, so comparing pooled payloads byte by byte would be slow; one bulk copy each is not.
     */
    static List<MqttPacket> comparable(List<MqttPacket> packets) {
        List<MqttPacket> out = new ArrayList<>(packets.size());
        for (MqttPacket p : packets) {
            out.add(p instanceof Publish x ? new Publish(x.topic(), x.qos(), x.retain(), x.dup(), x.packetId(),
                    x.properties(), Unpooled.wrappedBuffer(ByteBufUtil.getBytes(x.payload()))) : p);
        }
        return out;
    }

    /** Compares, then releases the decoded packets' payloads whatever the outcome. */
    static void assertDecoded(List<MqttPacket> expected, List<MqttPacket> actual, Supplier<String> where) {
        try {
            assertEquals(comparable(expected), comparable(actual), where);
        } finally {
            releaseAll(actual);
        }
    }

    /**
     * Every split point of a session, except in the 40 kB one: there every point within eight bytes of a packet
     * boundary (where fixed headers and remaining lengths are cut) and every 101st byte elsewhere.
     */
    static List<Integer> splitPoints(byte[] stream, int[] ends) {
        List<Integer> points = new ArrayList<>();
        for (int split = 0; split <= stream.length; split++) {
            boolean nearBoundary = split <= 8;
            for (int end : ends) {
                nearBoundary |= Math.abs(split - end) <= 8;
            }
            if (stream.length <= 4_096 || nearBoundary || split % 101 == 0) {
                points.add(split);
            }
        }
        return points;
    }

    // ---------------------------------------------------------------------------------------------------------
    // (a) every split point and byte by byte; (b) many packets in one read.
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Side.class)
    void everySplitPointYieldsTheSamePackets(Side side) {
        List<MqttPacket> expected = packets(side);
        byte[] stream = encode(expected, side.version);
        List<MqttPacket> out = new ArrayList<>();
        for (int split : splitPoints(stream, ends(expected, side.version))) {
            int at = split;
            MqttDecoder decoder = side.decoder();
            try {
                feed(decoder, stream, 0, split, out);
                feed(decoder, stream, split, stream.length, out);
                assertEquals(0, decoder.bufferedBytes(), () -> side + " split at " + at);
                assertEquals(side.version, decoder.version());
                assertDecoded(expected, out, () -> side + " split at " + at + " of " + stream.length);
            } finally {
                releaseAll(out);
                decoder.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void byteByByteYieldsTheSamePackets(Side side) {
        List<MqttPacket> expected = packets(side);
        byte[] stream = encode(expected, side.version);
        int[] ends = ends(expected, side.version);
        List<MqttPacket> out = new ArrayList<>();
        MqttDecoder decoder = side.decoder();
        try {
            int packet = 0;
            for (int i = 0; i < stream.length; i++) {
                feed(decoder, stream, i, i + 1, out);
                int index = packet;
                if (i + 1 == ends[packet]) {
                    assertEquals(packet + 1, out.size(), () -> side + ": packet " + index + " completes at its last byte");
                    packet++;
                } else {
                    assertEquals(packet, out.size(), () -> side + ": packet " + index + " is not complete yet");
                }
            }
            assertEquals(0, decoder.bufferedBytes());
            assertDecoded(expected, out, () -> side + " byte by byte");
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aWholeSessionInOneReadYieldsEveryPacket(Side side) {
        List<MqttPacket> expected = packets(side);
        byte[] stream = encode(expected, side.version);
        List<MqttPacket> out = new ArrayList<>();
        MqttDecoder decoder = side.decoder();
        try {
            feed(decoder, stream, 0, stream.length, out);
            assertEquals(0, decoder.bufferedBytes());
            assertDecoded(expected, out, side::toString);
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    @Test
    void thousandsOfPacketsInOneReadAndAPartialTail() {
        List<MqttPacket> expected = new ArrayList<>();
        expected.add(connect5());
        for (int i = 1; i <= 2_000; i++) {
            expected.add(i % 3 == 0 ? Pingreq.INSTANCE
                    : new Publish("t/" + i, QoS.AT_LEAST_ONCE, false, false, i, Properties.EMPTY, payload("m" + i)));
        }
        byte[] stream = encode(expected, MqttVersion.V5);
        int[] ends = ends(expected, MqttVersion.V5);
        int cut = ends[expected.size() - 2] + 3; // three bytes into the last packet
        List<MqttPacket> out = new ArrayList<>();
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        try {
            feed(decoder, stream, 0, cut, out);
            assertEquals(expected.size() - 1, out.size());
            assertEquals(3, decoder.bufferedBytes());
            feed(decoder, stream, cut, stream.length, out);
            assertEquals(0, decoder.bufferedBytes());
            assertDecoded(expected, out, () -> "2 000 packets");
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // (e) the held-back bytes are exactly the unfinished packet's.
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Side.class)
    void heldBackBytesNeverExceedThePacketBeingAssembled(Side side) {
        List<MqttPacket> expected = packets(side);
        byte[] stream = encode(expected, side.version);
        int[] ends = ends(expected, side.version);
        List<MqttPacket> out = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = SEED + trial;
            Random random = new Random(seed);
            MqttDecoder decoder = side.decoder();
            try {
                int fed = 0;
                while (fed < stream.length) {
                    int n = random.nextInt(4) == 0 ? 1 + random.nextInt(stream.length / 3) : 1 + random.nextInt(16);
                    n = Math.min(n, stream.length - fed);
                    feed(decoder, stream, fed, fed + n, out);
                    fed += n;
                    int complete = 0;
                    while (complete < ends.length && ends[complete] <= fed) {
                        complete++;
                    }
                    int start = complete == 0 ? 0 : ends[complete - 1];
                    int at = fed;
                    Supplier<String> where = () -> side + " seed " + seed + " after " + at + " bytes";
                    assertEquals(complete, out.size(), where);
                    assertEquals(at - start, decoder.bufferedBytes(), where);
                    if (complete < ends.length) {
                        assertTrue(decoder.bufferedBytes() <= ends[complete] - start, where);
                    }
                }
                assertEquals(0, decoder.bufferedBytes());
                assertDecoded(expected, out, () -> side + " seed " + seed);
            } finally {
                releaseAll(out);
                decoder.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // (c) (d) memory is bounded by what arrives, and by the Maximum Packet Size from the fixed header.
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A pooled allocator that remembers the buffers it hands out other than the reads it makes itself. Its reads
     * are pooled direct buffers whose {@code alloc()} is this allocator, as a channel's are, so the buffers the
     * decoder holds back (it allocates them from the read's allocator) can be inspected. One instance serves every
     * test, since each pooled allocator keeps its arenas for the life of the thread; {@link #reset} starts afresh.
     */
    static final class TrackingAllocator extends PooledByteBufAllocator {
        static final TrackingAllocator INSTANCE = new TrackingAllocator();

        final List<ByteBuf> handedOut = new ArrayList<>();
        private boolean makingRead;

        private TrackingAllocator() {
            super(true);
        }

        static TrackingAllocator reset() {
            INSTANCE.handedOut.clear();
            return INSTANCE;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(super.newHeapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(super.newDirectBuffer(initialCapacity, maxCapacity));
        }

        private ByteBuf track(ByteBuf b) {
            if (!makingRead) {
                handedOut.add(b);
            }
            return b;
        }

        /** A pooled direct read of these bytes whose {@code alloc()} is this allocator. */
        ByteBuf read(byte[] bytes) {
            makingRead = true;
            try {
                ByteBuf in = directBuffer(Math.max(1, bytes.length));
                assertSame(this, in.alloc());
                return in.writeBytes(bytes);
            } finally {
                makingRead = false;
            }
        }

        void feed(MqttDecoder decoder, byte[] bytes, List<MqttPacket> out) {
            ByteBuf in = read(bytes);
            try {
                decoder.decode(in, out::add);
            } finally {
                in.release();
            }
        }

        int largestCapacity() {
            return handedOut.stream().mapToInt(ByteBuf::capacity).max().orElse(0);
        }

        void assertAllReleased() {
            for (ByteBuf b : handedOut) {
                assertEquals(0, b.refCnt(), "a held-back buffer was not released");
            }
        }
    }

    static byte[] hexBytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** A PUBLISH fixed header claiming this remaining length. */
    static byte[] publishHeader(int remainingLength) {
        ByteBuf b = Unpooled.buffer();
        try {
            b.writeByte(0x30);
            int value = remainingLength;
            do {
                int digit = value & 0x7F;
                value >>>= 7;
                b.writeByte(value > 0 ? digit | 0x80 : digit);
            } while (value > 0);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static void assertTooLarge(MalformedPacketException e) {
        assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode(), e::getMessage);
        assertEquals("3.1.2.11.4", e.rule(), e::getMessage);
    }

    @Test
    void maximumPacketSizeIsRefusedFromTheFixedHeaderAlone() {
        byte[] header = publishHeader(65_535); // 30 ff ff 03: a packet of 65 539 bytes
        assertArrayEquals(hexBytes("30 ff ff 03"), header);
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, 1_024);
        List<MqttPacket> out = new ArrayList<>();
        try {
            assertTooLarge(assertThrows(MalformedPacketException.class, () -> alloc.feed(decoder, header, out)));
            assertEquals(0, decoder.bufferedBytes());
            assertEquals(List.of(), out);
            assertEquals(List.of(), alloc.handedOut, "nothing is held back for a refused header");
        } finally {
            decoder.close();
        }
    }

    @Test
    void maximumPacketSizeIsRefusedFromAFixedHeaderArrivingByteByByte() {
        byte[] header = publishHeader(65_535);
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, 1_024);
        List<MqttPacket> out = new ArrayList<>();
        try {
            for (int i = 0; i < header.length - 1; i++) {
                alloc.feed(decoder, new byte[] {header[i]}, out);
                assertEquals(i + 1, decoder.bufferedBytes());
            }
            assertTooLarge(assertThrows(MalformedPacketException.class,
                    () -> alloc.feed(decoder, new byte[] {header[header.length - 1]}, out)));
            assertEquals(0, decoder.bufferedBytes());
            assertTrue(alloc.largestCapacity() <= 64, "a header is held in a few bytes: " + alloc.largestCapacity());
            alloc.assertAllReleased();
            assertEquals(List.of(), out);
        } finally {
            decoder.close();
        }
    }

    @Test
    void maximumPacketSizeIsCheckedAfterAConnectInTheSameRead() {
        byte[] connect = encode(List.of(connect5()), MqttVersion.V5);
        byte[] header = publishHeader(2_000);
        byte[] both = new byte[connect.length + header.length];
        System.arraycopy(connect, 0, both, 0, connect.length);
        System.arraycopy(header, 0, both, connect.length, header.length);
        MqttDecoder decoder = MqttDecoder.forServer(1_000);
        List<MqttPacket> out = new ArrayList<>();
        try {
            assertTooLarge(assertThrows(MalformedPacketException.class, () -> feed(decoder, both, 0, both.length, out)));
            assertEquals(List.of(connect5()), out, "the CONNECT before the oversized packet is delivered");
            assertEquals(0, decoder.bufferedBytes());
        } finally {
            decoder.close();
        }
    }

    @Test
    void aPacketOfExactlyTheMaximumSizeIsAccepted() {
        // fixed header 1 + 2, topic 2 + 1, property length 1, payload 993: 1 000 bytes
        List<MqttPacket> one = List.of(Publish.atMostOnce("a", payload("p".repeat(993))));
        byte[] stream = encode(one, MqttVersion.V5);
        assertEquals(1_000, stream.length);
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, 1_000);
        List<MqttPacket> out = new ArrayList<>();
        try {
            feed(decoder, stream, 0, 3, out);
            assertEquals(3, decoder.bufferedBytes(), "a header claiming exactly the maximum waits for its body");
            feed(decoder, stream, 3, stream.length, out);
            assertDecoded(one, out, () -> "1 000 bytes");
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    @Test
    void aHeaderClaiming200MegabytesAllocatesOnlyWhatArrives() {
        int claimed = 200 * 1024 * 1024;
        byte[] header = publishHeader(claimed);
        assertEquals(5, header.length);
        byte[] start = new byte[header.length + 3 + 1 + 10];
        System.arraycopy(header, 0, start, 0, header.length);
        System.arraycopy(hexBytes("0001 61 00"), 0, start, header.length, 4); // topic "a", no properties
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            alloc.feed(decoder, encode(List.of(connect5()), MqttVersion.V5), out);
            assertEquals(List.of(connect5()), out);
            alloc.feed(decoder, start, out);
            assertEquals(start.length, decoder.bufferedBytes());
            assertTrue(alloc.largestCapacity() <= 1_024, "held back: " + alloc.largestCapacity() + " bytes");
            int sent = start.length;
            byte[] chunk = new byte[1_000];
            for (int i = 0; i < 50; i++) {
                alloc.feed(decoder, chunk, out);
                sent += chunk.length;
                assertEquals(sent, decoder.bufferedBytes());
            }
            assertEquals(1, out.size(), "the PUBLISH is not complete");
            // The buffer grows with the bytes (Netty rounds up to a power of two), never towards the claim.
            assertTrue(alloc.largestCapacity() <= 2 * sent, "held back: " + alloc.largestCapacity() + " bytes");
            decoder.close();
            assertEquals(0, decoder.bufferedBytes());
            alloc.assertAllReleased();
        } finally {
            decoder.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // (f) failure and close release what is held back.
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void afterAMalformedPacketTheDecoderRefusesInputAndHoldsNothing() {
        byte[] connect = encode(List.of(connect5()), MqttVersion.V5);
        byte[] good = encode(List.of(Publish.atMostOnce("ok", payload("fine"))), MqttVersion.V5);
        // A PUBLISH whose topic is the overlong C0 80.
        byte[] bad = hexBytes("30 0a 0002 c080 00 68656c6c6f");
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            alloc.feed(decoder, connect, out);
            byte[] first = new byte[good.length + 4];
            System.arraycopy(good, 0, first, 0, good.length);
            System.arraycopy(bad, 0, first, good.length, 4);
            alloc.feed(decoder, first, out);
            assertEquals(2, out.size());
            assertEquals(4, decoder.bufferedBytes());
            assertEquals(1, alloc.handedOut.size(), "the unfinished PUBLISH is held back");

            byte[] rest = new byte[bad.length - 4];
            System.arraycopy(bad, 4, rest, 0, rest.length);
            MalformedPacketException e = assertThrows(MalformedPacketException.class,
                    () -> alloc.feed(decoder, rest, out));
            assertEquals(ReasonCode.MALFORMED_PACKET, e.reasonCode());
            assertEquals("MQTT-1.5.4-1", e.rule());
            assertEquals(0, decoder.bufferedBytes());
            alloc.assertAllReleased();

            IllegalStateException after = assertThrows(IllegalStateException.class,
                    () -> alloc.feed(decoder, encode(List.of(Pingreq.INSTANCE), MqttVersion.V5), out));
            assertTrue(after.getMessage().contains("failed"), after.getMessage());
            assertEquals(2, out.size(), "nothing is decoded after the failure");
            assertEquals("fine", ((Publish) out.get(1)).payload().toString(StandardCharsets.UTF_8),
                    "a packet delivered before the failure stays valid");
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    @Test
    void aFailureInsideAReadReleasesTheSliceOfThePacketThatFailed() {
        // A good QoS 0 PUBLISH, then one whose topic has a wildcard: the second's payload slice is taken before
        // the topic is refused, and must be given back.
        ByteBuf in = pooledRead(packetHex(0x30, "0001 61 00 6869") + packetHex(0x30, "0001 23 00 6869"));
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> decoder.decode(in, out::add));
            assertEquals("MQTT-3.3.2-2", e.rule());
            assertEquals(1, out.size());
            assertEquals(2, in.refCnt(), "the read and the delivered payload; not the refused one");
        } finally {
            releaseAll(out);
            in.release();
            decoder.close();
        }
        assertEquals(0, in.refCnt());
    }

    static String packetHex(int firstByte, String body) {
        String b = body.replaceAll("\\s", "");
        return String.format("%02x%02x", firstByte, b.length() / 2) + b;
    }

    @Test
    void closeReleasesAPartialPacketAndIsFinal() {
        byte[] stream = encode(List.of(Publish.atMostOnce("a/b", payload("z".repeat(100)))), MqttVersion.V3_1_1);
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V3_1_1, MAX);
        List<MqttPacket> out = new ArrayList<>();
        byte[] half = new byte[stream.length / 2];
        System.arraycopy(stream, 0, half, 0, half.length);
        alloc.feed(decoder, half, out);
        assertEquals(half.length, decoder.bufferedBytes());
        assertEquals(1, alloc.handedOut.size());
        assertEquals(1, alloc.handedOut.get(0).refCnt());

        decoder.close();
        assertEquals(0, decoder.bufferedBytes());
        alloc.assertAllReleased();
        decoder.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> alloc.feed(decoder, half, out));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(List.of(), out);
    }

    @Test
    void closeWithAPartialFixedHeaderReleasesIt() {
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        List<MqttPacket> out = new ArrayList<>();
        alloc.feed(decoder, hexBytes("10 ff"), out); // a CONNECT whose remaining length is still arriving
        assertEquals(2, decoder.bufferedBytes());
        decoder.close();
        assertEquals(0, decoder.bufferedBytes());
        alloc.assertAllReleased();
        assertEquals(List.of(), out);
    }

    // ---------------------------------------------------------------------------------------------------------
    // (g) versions.
    // ---------------------------------------------------------------------------------------------------------

    /** topic "a", then 02 01 01 68 69: in 5.0 a property block (Payload Format Indicator 1) and "hi". */
    static final String AMBIGUOUS_PUBLISH = "30 08 0001 61 02 01 01 68 69";

    @Test
    void aServerDecoderTakesVersion5FromConnectAndParsesPropertiesAfterIt() {
        byte[] connect = encode(List.of(connect5()), MqttVersion.V5);
        byte[] publish = hexBytes(AMBIGUOUS_PUBLISH);
        for (int split = 0; split <= connect.length + publish.length; split++) {
            byte[] all = new byte[connect.length + publish.length];
            System.arraycopy(connect, 0, all, 0, connect.length);
            System.arraycopy(publish, 0, all, connect.length, publish.length);
            MqttDecoder decoder = MqttDecoder.forServer(MAX);
            List<MqttPacket> out = new ArrayList<>();
            try {
                assertNull(decoder.version());
                feed(decoder, all, 0, split, out);
                feed(decoder, all, split, all.length, out);
                assertSame(MqttVersion.V5, decoder.version());
                assertEquals(2, out.size());
                Publish p = (Publish) out.get(1);
                assertEquals(1, p.properties().integerOr(PropertyId.PAYLOAD_FORMAT_INDICATOR, -1), "split " + split);
                assertEquals("hi", p.payload().toString(StandardCharsets.UTF_8), "split " + split);
            } finally {
                releaseAll(out);
                decoder.close();
            }
        }
    }

    @Test
    void aServerDecoderTakesVersion311FromConnectAndReadsNoProperties() {
        byte[] connect = encode(List.of(new Connect(MqttVersion.V3_1_1, "c", true, 0, null, null, null,
                Properties.EMPTY)), MqttVersion.V3_1_1);
        byte[] publish = hexBytes(AMBIGUOUS_PUBLISH);
        byte[] all = new byte[connect.length + publish.length];
        System.arraycopy(connect, 0, all, 0, connect.length);
        System.arraycopy(publish, 0, all, connect.length, publish.length);
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            feed(decoder, all, 0, all.length, out);
            assertSame(MqttVersion.V3_1_1, decoder.version());
            Publish p = (Publish) out.get(1);
            assertTrue(p.properties().isEmpty());
            assertArrayEquals(hexBytes("02 01 01 68 69"), ByteBufUtil.getBytes(p.payload()));
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    @Test
    void aServerDecoderTakesVersion31FromAnMqisdpConnect() {
        byte[] connect = encode(List.of(new Connect(MqttVersion.V3_1, "c", true, 0, null, null, null,
                Properties.EMPTY)), MqttVersion.V3_1);
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            feed(decoder, connect, 0, connect.length, out);
            assertSame(MqttVersion.V3_1, decoder.version());
            ByteBuf auth = pooledRead("f0 00");
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class,
                        () -> decoder.decode(auth, out::add));
                assertEquals("2.1.2", e.rule(), "AUTH does not exist in 3.1");
            } finally {
                auth.release();
            }
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }

    @Test
    void aClientDecoderReadsConnackInItsOwnVersion() {
        MqttDecoder v3 = MqttDecoder.forClient(MqttVersion.V3_1_1, MAX);
        MqttDecoder v5 = MqttDecoder.forClient(MqttVersion.V5, MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            assertSame(MqttVersion.V3_1_1, v3.version());
            ByteBuf in3 = pooledRead("20 02 01 00");
            try {
                v3.decode(in3, out::add);
            } finally {
                in3.release();
            }
            assertEquals(List.of(new Connack(true)), out);
            out.clear();

            ByteBuf in5 = pooledRead("20 06 00 87 03 21 00 0a");
            try {
                v5.decode(in5, out::add);
            } finally {
                in5.release();
            }
            assertEquals(List.of(new Connack(false, ReasonCode.NOT_AUTHORIZED,
                    Properties.builder().add(PropertyId.RECEIVE_MAXIMUM, 10).build())), out);
            out.clear();

            // A 3.1.1 return code 5 (not authorized) is 0x87 in 5.0.
            MqttDecoder other3 = MqttDecoder.forClient(MqttVersion.V3_1_1, MAX);
            ByteBuf refused = pooledRead("20 02 00 05");
            try {
                other3.decode(refused, out::add);
            } finally {
                refused.release();
                other3.close();
            }
            assertEquals(List.of(new Connack(false, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY)), out);
        } finally {
            v3.close();
            v5.close();
        }
    }

    @Test
    void aConnackOfTheOtherVersionIsMalformed() {
        MqttDecoder v5 = MqttDecoder.forClient(MqttVersion.V5, MAX);
        MqttDecoder v3 = MqttDecoder.forClient(MqttVersion.V3_1_1, MAX);
        ByteBuf in3 = pooledRead("20 02 00 00");
        ByteBuf in5 = pooledRead("20 03 00 00 00");
        try {
            MalformedPacketException e5 = assertThrows(MalformedPacketException.class, () -> v5.decode(in3, p -> fail()));
            assertEquals(ReasonCode.MALFORMED_PACKET, e5.reasonCode(), "a 5.0 CONNACK needs a property length");
            MalformedPacketException e3 = assertThrows(MalformedPacketException.class, () -> v3.decode(in5, p -> fail()));
            assertEquals("2.1.4", e3.rule(), "a 3.1.1 CONNACK has two bytes");
        } finally {
            in3.release();
            in5.release();
            v5.close();
            v3.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // (h) payloads are retained slices: valid after the read is released, released exactly once.
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aConsumerThatClosesTheDecoderStopsItAndNothingIsHeldBack() {
        byte[] connect = encode(List.of(new Connect(MqttVersion.V5, "c", true, 0, null, null, null, Properties.EMPTY)),
                MqttVersion.V5);
        byte[] stream = new byte[connect.length + 3];
        System.arraycopy(connect, 0, stream, 0, connect.length);
        stream[connect.length] = (byte) 0xE0; // DISCONNECT
        stream[connect.length + 1] = 0;
        stream[connect.length + 2] = (byte) 0xC0; // the first byte of a PINGREQ that never finishes
        ByteBuf in = pooledRead(stream, 0, stream.length);
        MqttDecoder decoder = MqttDecoder.forServer(MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            decoder.decode(in, p -> {
                out.add(p);
                if (p instanceof Disconnect) {
                    decoder.close();
                }
            });
            assertEquals(2, out.size(), "CONNECT and DISCONNECT, nothing after the close");
            assertEquals(0, decoder.bufferedBytes(), "nothing is held back after the close");
        } finally {
            in.release();
            decoder.close();
        }
    }

    @Test
    void aConsumerThatThrowsFailsTheDecoder() {
        byte[] stream = encode(List.of(Pingreq.INSTANCE, Pingreq.INSTANCE), MqttVersion.V5);
        ByteBuf in = pooledRead(stream, 0, stream.length - 1);
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, MAX);
        try {
            assertThrows(IllegalStateException.class, () -> decoder.decode(in, p -> {
                throw new IllegalStateException("application bug");
            }));
            assertThrows(IllegalStateException.class, () -> decoder.decode(in, p -> fail()),
                    "the rest of the read was not framed: the decoder refuses more");
            assertEquals(0, decoder.bufferedBytes());
        } finally {
            in.release();
            decoder.close();
        }
    }

    @Test
    void payloadsOutliveTheReadAndAreReleasedExactlyOnce() {
        List<MqttPacket> sent = List.of(Publish.atMostOnce("a", payload("one")),
                Publish.atMostOnce("b", payload("two")), Pingreq.INSTANCE, Publish.atMostOnce("c", payload("three")));
        byte[] stream = encode(sent, MqttVersion.V5);
        ByteBuf in = pooledRead(stream, 0, stream.length);
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            decoder.decode(in, out::add);
            assertEquals(4, in.refCnt(), "one reference for the read, one per payload");
            assertFalse(in.release(), "the caller's release leaves the payloads' references");
            assertEquals(3, in.refCnt());

            List<ByteBuf> payloads = out.stream().filter(p -> p instanceof Publish)
                    .map(p -> ((Publish) p).payload()).toList();
            assertEquals(List.of("one", "two", "three"),
                    payloads.stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList());
            // Each payload holds one reference to the read: releasing it once gives that reference back, and the
            // last one frees the read's memory. (A pooled slice counts its own references too, so release()'s
            // return value says whether the slice object was freed, not the read.)
            payloads.get(0).release();
            assertEquals(2, in.refCnt());
            payloads.get(1).release();
            assertEquals(1, in.refCnt());
            payloads.get(2).release();
            assertEquals(0, in.refCnt(), "the last payload frees the read's memory");
            // A second release is not probed: pooled slices are recycled on release, so it is undefined in Netty.
            out.clear();
        } finally {
            releaseAll(out);
            if (in.refCnt() > 0) {
                in.release(in.refCnt());
            }
            decoder.close();
        }
    }

    @Test
    void payloadsAreSlicesOfTheReadNotCopies() {
        byte[] stream = encode(List.of(Publish.atMostOnce("a", payload("abc"))), MqttVersion.V3_1_1);
        ByteBuf in = pooledRead(stream, 0, stream.length);
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V3_1_1, MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            decoder.decode(in, out::add);
            ByteBuf payload = ((Publish) out.get(0)).payload();
            in.setByte(stream.length - 3, 'X');
            assertEquals("Xbc", payload.toString(StandardCharsets.UTF_8), "the payload shares the read's memory");
        } finally {
            releaseAll(out);
            in.release();
            decoder.close();
        }
    }

    @Test
    void aPayloadAssembledAcrossReadsOwnsItsBufferAlone() {
        List<MqttPacket> sent = List.of(Publish.atMostOnce("a", payload("q".repeat(500))));
        byte[] stream = encode(sent, MqttVersion.V5);
        TrackingAllocator alloc = TrackingAllocator.reset();
        MqttDecoder decoder = MqttDecoder.forClient(MqttVersion.V5, MAX);
        List<MqttPacket> out = new ArrayList<>();
        try {
            byte[] first = new byte[100];
            byte[] second = new byte[stream.length - 100];
            System.arraycopy(stream, 0, first, 0, 100);
            System.arraycopy(stream, 100, second, 0, second.length);
            alloc.feed(decoder, first, out); // both reads are released by feed
            alloc.feed(decoder, second, out);
            assertEquals(1, out.size());
            ByteBuf payload = ((Publish) out.get(0)).payload();
            assertEquals(1, payload.refCnt(), "the decoder gave back its reference to the assembled packet");
            assertEquals(1, alloc.handedOut.size());
            assertEquals(1, alloc.handedOut.get(0).refCnt(), "the payload alone keeps the assembled packet alive");
            assertEquals("q".repeat(500), payload.toString(StandardCharsets.UTF_8));
            assertTrue(payload.release());
            out.clear();
            alloc.assertAllReleased();
        } finally {
            releaseAll(out);
            decoder.close();
        }
    }
}
