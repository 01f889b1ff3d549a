package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
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
 * Every validation rule of the codec, fed as raw bytes to {@link MqttDecoder#decodeOne} and to a streaming decoder:
 * each is refused with the exact reason code and specification rule, and the packet values refuse the same.
 */
class RejectionTest {
    static final MqttVersion V3 = MqttVersion.V3_1_1;
    static final MqttVersion V5 = MqttVersion.V5;
    static final ReasonCode MALFORMED = ReasonCode.MALFORMED_PACKET;
    static final ReasonCode TOPIC_NAME_INVALID = ReasonCode.TOPIC_NAME_INVALID;
    static final ReasonCode PROTOCOL = ReasonCode.PROTOCOL_ERROR;

    // ---------------------------------------------------------------------------------------------------------
    // Hex helpers: packets are written as hex; lengths (string prefixes, remaining length, property length) are
    // computed so each case shows only the bytes it is about.
    // ---------------------------------------------------------------------------------------------------------

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Two-byte big-endian length prefix followed by the given raw bytes (hex). */
    static String prefixed(String rawHex) {
        String raw = rawHex.replaceAll("\\s", "");
        return String.format("%04x", raw.length() / 2) + raw;
    }

    /** An MQTT UTF-8 string: length prefix and UTF-8 bytes. */
    static String s(String text) {
        return prefixed(hex(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String vbi(int value) {
        StringBuilder sb = new StringBuilder();
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            sb.append(String.format("%02x", value > 0 ? digit | 0x80 : digit));
        } while (value > 0);
        return sb.toString();
    }

    /** A property block: variable byte integer length, then the properties (hex). */
    static String props(String propertiesHex) {
        String raw = propertiesHex.replaceAll("\\s", "");
        return vbi(raw.length() / 2) + raw;
    }

    /** A whole packet: first byte, computed remaining length, body. */
    static String packet(int firstByte, String bodyHex) {
        String body = bodyHex.replaceAll("\\s", "");
        return String.format("%02x", firstByte) + vbi(body.length() / 2) + body;
    }

    /** A 3.1.1 CONNECT with these connect flags, keep alive 60, client id "c", then {@code rest}. */
    static String connect3(int flags, String rest) {
        return packet(0x10, s("MQTT") + "04" + String.format("%02x", flags) + "003c" + s("c") + rest);
    }

    /** A 5.0 CONNECT with these connect flags and property block, client id "c", then {@code rest}. */
    static String connect5(int flags, String propertyBlock, String rest) {
        return packet(0x10, s("MQTT") + "05" + String.format("%02x", flags) + "003c" + propertyBlock + s("c") + rest);
    }

    static ByteBuf direct(String hex) {
        byte[] b = bytes(hex);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(b.length);
        buf.writeBytes(b);
        return buf;
    }

    static void releasePayload(MqttPacket p) {
        if (p instanceof Publish publish) {
            publish.payload().release();
        }
    }

    static void assertReason(MalformedPacketException e, ReasonCode code, String rule) {
        assertEquals(code, e.reasonCode(), () -> "reason code of: " + e.getMessage());
        assertEquals(rule, e.rule(), () -> "rule of: " + e.getMessage());
    }

    /** Decodes with decodeOne only; fails (after releasing any payload) if the bytes are accepted. */
    static MalformedPacketException rejectOne(MqttVersion v, String hex) {
        ByteBuf in = direct(hex);
        try {
            MqttPacket p = MqttDecoder.decodeOne(in, v);
            releasePayload(p);
            return fail("accepted " + hex + " as " + p);
        } catch (MalformedPacketException e) {
            return e;
        } finally {
            in.release();
        }
    }

    /** Feeds the bytes to a streaming decoder (server side when {@code v} is null) in one read. */
    static MalformedPacketException rejectStream(MqttVersion v, String hex) {
        MqttDecoder decoder = v == null ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)
                : MqttDecoder.forClient(v, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
        List<MqttPacket> out = new ArrayList<>();
        ByteBuf in = direct(hex);
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> decoder.decode(in, out::add),
                    () -> "stream accepted " + hex);
            assertEquals(0, decoder.bufferedBytes(), "a failed decoder holds nothing back");
            ByteBuf more = direct("c000");
            try {
                assertThrows(IllegalStateException.class, () -> decoder.decode(more, out::add));
            } finally {
                more.release();
            }
            assertEquals(List.of(), out, "no packet before the bad one");
            return e;
        } finally {
            out.forEach(RejectionTest::releasePayload);
            in.release();
            decoder.close();
        }
    }

    /** Both decoding paths refuse the bytes with this reason code and rule. */
    static void assertRejected(MqttVersion v, String hex, ReasonCode code, String rule) {
        assertReason(rejectOne(v, hex), code, rule);
        assertReason(rejectStream(v, hex), code, rule);
    }

    /** Constructing a value throws the same exception the decoder does. */
    static void assertRefused(Executable construct, ReasonCode code, String rule) {
        assertReason(assertThrows(MalformedPacketException.class, construct), code, rule);
    }

    /** decodeOne accepts the bytes; the check sees the packet, whose payload is released afterwards. */
    static void assertDecodes(MqttVersion v, String hex, Consumer<MqttPacket> check) {
        ByteBuf in = direct(hex);
        MqttPacket p = null;
        try {
            p = MqttDecoder.decodeOne(in, v);
            check.accept(p);
        } finally {
            if (p != null) {
                releasePayload(p);
            }
            in.release();
        }
    }

    static String payloadString(MqttPacket p) {
        return ((Publish) p).payload().toString(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** MQTT-1.5.4-1, -2 and the 65 535-byte limit of section 1.5.4. */
    @Nested
    class Utf8Strings {
        static Stream<Arguments> illFormed() {
            return Stream.of(
                    Arguments.of("bad continuation byte", "c3 28"),
                    Arguments.of("overlong 2-byte NUL C0 80", "c0 80"),
                    Arguments.of("overlong 2-byte C1 BF", "c1 bf"),
                    Arguments.of("overlong 3-byte E0 80 80", "e0 80 80"),
                    Arguments.of("overlong 3-byte E0 9F BF", "e0 9f bf"),
                    Arguments.of("overlong 4-byte F0 80 80 80", "f0 80 80 80"),
                    Arguments.of("encoded surrogate ED A0 80", "ed a0 80"),
                    Arguments.of("encoded surrogate ED BF BF", "ed bf bf"),
                    Arguments.of("above U+10FFFF F4 90 80 80", "f4 90 80 80"),
                    Arguments.of("lead byte F5", "f5 80 80 80"),
                    Arguments.of("byte FF", "ff"),
                    Arguments.of("truncated 2-byte sequence", "61 c3"),
                    Arguments.of("truncated 3-byte sequence", "e2 82"),
                    Arguments.of("truncated 4-byte sequence", "f0 9f 98"),
                    Arguments.of("lone continuation byte", "80"),
                    Arguments.of("continuation byte after ASCII", "61 bf"),
                    Arguments.of("bad third byte of a 3-byte sequence", "e2 82 28"),
                    Arguments.of("bad fourth byte of a 4-byte sequence", "f0 9f 98 28"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("illFormed")
        void illFormedTopicNameIsMalformed(String what, String bad) {
            // The payload starts with a continuation byte: a validator that read past the string's length would
            // complete a truncated sequence with it.
            assertRejected(V3, packet(0x30, prefixed(bad) + "ac6869"), MALFORMED, "MQTT-1.5.4-1");
            assertRejected(V5, packet(0x30, prefixed(bad) + "00" + "ac6869"), MALFORMED, "MQTT-1.5.4-1");
        }

        static Stream<Arguments> everyStringField() {
            String bad = prefixed("c0 80");
            return Stream.of(
                    Arguments.of("protocol name", null, packet(0x10, bad + "04 02 003c" + s("c"))),
                    Arguments.of("client identifier", null, packet(0x10, s("MQTT") + "04 02 003c" + bad)),
                    Arguments.of("user name", null, connect3(0x82, bad)),
                    Arguments.of("will topic", null, connect3(0x06, bad + prefixed(""))),
                    Arguments.of("v5 will content type", null,
                            connect5(0x06, "00", props("03" + bad) + s("w") + prefixed(""))),
                    Arguments.of("SUBSCRIBE topic filter", V3, packet(0x82, "0001" + bad + "00")),
                    Arguments.of("UNSUBSCRIBE topic filter", V5, packet(0xA2, "0001 00" + bad)),
                    Arguments.of("reason string property", V5, packet(0x40, "0001 00" + props("1f" + bad))),
                    Arguments.of("user property name", V5, packet(0x40, "0001 00" + props("26" + bad + s("v")))),
                    Arguments.of("user property value", V5, packet(0x40, "0001 00" + props("26" + s("n") + bad))),
                    Arguments.of("response topic", V5, packet(0x30, s("a") + props("08" + bad))),
                    Arguments.of("authentication method", V5, packet(0xF0, "18" + props("15" + bad))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("everyStringField")
        void everyStringFieldIsValidated(String field, MqttVersion v, String hex) {
            assertRejected(v, hex, MALFORMED, "MQTT-1.5.4-1");
        }

        @Test
        void wellFormedMultiByteCharactersAreAccepted() {
            // U+20AC, U+1F600, U+FEFF (a BOM is kept, never stripped: MQTT-1.5.4-3), U+07FF, U+FFFF, U+10FFFF
            String topic = "\u20ac/\uD83D\uDE00/\uFEFF/\u07ff/\uffff/\uDBFF\uDFFF";
            String raw = "e282ac 2f f09f9880 2f efbbbf 2f dfbf 2f efbfbf 2f f48fbfbf";
            assertDecodes(V5, packet(0x30, prefixed(raw) + "00" + "6869"), p -> {
                assertEquals(topic, ((Publish) p).topic());
                assertEquals("hi", payloadString(p));
            });
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"00", "61 00", "61 00 62"})
        void nulCharacterIsMalformed(String raw) {
            assertRejected(V3, packet(0x30, prefixed(raw)), MALFORMED, "MQTT-1.5.4-2");
            assertRejected(V5, packet(0x82, "0001 00" + prefixed(raw) + "00"), MALFORMED, "MQTT-1.5.4-2");
            assertRejected(null, packet(0x10, s("MQTT") + "04 02 003c" + prefixed(raw)), MALFORMED, "MQTT-1.5.4-2");
            assertRejected(V5, packet(0x40, "0001 00" + props("26" + s("n") + prefixed(raw))), MALFORMED,
                    "MQTT-1.5.4-2");
        }

        @Test
        void nulCharacterInAJavaStringIsRefused() {
            assertRefused(() -> Publish.atMostOnce("a\u0000b", Unpooled.EMPTY_BUFFER), MALFORMED, "MQTT-1.5.4-2");
            assertRefused(() -> Properties.builder().userProperty("n", "\u0000"), MALFORMED, "MQTT-1.5.4-2");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\uD800", "\uDC00a", "\uD800\uD800", "\uDFFF\uD800", "x\uDBFF/y"})
        void unpairedSurrogateInAJavaStringIsRefused(String bad) {
            assertRefused(() -> Publish.atMostOnce(bad, Unpooled.EMPTY_BUFFER), MALFORMED, "MQTT-1.5.4-1");
            assertRefused(() -> new Subscription(bad, SubscriptionOptions.of(QoS.AT_MOST_ONCE)), MALFORMED,
                    "MQTT-1.5.4-1");
            assertRefused(() -> new Unsubscribe(1, List.of(bad), Properties.EMPTY), MALFORMED, "MQTT-1.5.4-1");
            assertRefused(() -> new Connect(V5, bad, true, 0, null, null, null, Properties.EMPTY), MALFORMED,
                    "MQTT-1.5.4-1");
            assertRefused(() -> new Connect(V3, "c", true, 0, bad, null, null, Properties.EMPTY), MALFORMED,
                    "MQTT-1.5.4-1");
            assertRefused(() -> Properties.builder().userProperty("n", bad), MALFORMED, "MQTT-1.5.4-1");
            assertRefused(() -> Properties.builder().add(PropertyId.CONTENT_TYPE, bad), MALFORMED, "MQTT-1.5.4-1");
        }

        @Test
        void pairedSurrogatesAreAcceptedAndEncodeToFourBytes() {
            Publish p = Publish.atMostOnce("\uD83D\uDE00", Unpooled.EMPTY_BUFFER);
            ByteBuf out = MqttEncoder.encode(p, V3, PooledByteBufAllocator.DEFAULT);
            try {
                assertEquals("3006" + "0004f09f9880", hex(ByteBufUtil.getBytes(out)));
            } finally {
                out.release();
            }
        }

        @Test
        void stringLongerThan65535BytesIsRefused() {
            String ascii = "a".repeat(65_536);
            String euros = "\u20ac".repeat(21_846); // 65 538 bytes in 21 846 chars
            assertRefused(() -> Publish.atMostOnce(ascii, Unpooled.EMPTY_BUFFER), MALFORMED, "1.5.4");
            assertRefused(() -> Publish.atMostOnce(euros, Unpooled.EMPTY_BUFFER), MALFORMED, "1.5.4");
            assertRefused(() -> new Subscription(ascii, SubscriptionOptions.of(QoS.AT_MOST_ONCE)), MALFORMED,
                    "1.5.4");
            assertRefused(() -> new Connect(V5, euros, true, 0, null, null, null, Properties.EMPTY), MALFORMED,
                    "1.5.4");
            assertRefused(() -> Properties.builder().userProperty(ascii, "v"), MALFORMED, "1.5.4");
        }

        @Test
        void stringOfExactly65535BytesRoundTrips() {
            String topic = "\u20ac".repeat(21_845); // 65 535 bytes
            Publish p = Publish.atMostOnce(topic, Unpooled.EMPTY_BUFFER);
            ByteBuf out = MqttEncoder.encode(p, V5, PooledByteBufAllocator.DEFAULT);
            try {
                MqttPacket decoded = MqttDecoder.decodeOne(out, V5);
                releasePayload(decoded);
                assertEquals(topic, ((Publish) decoded).topic());
            } finally {
                out.release();
            }
        }
    }

    /** Topic names: no wildcards (MQTT-3.3.2-2), not empty (MQTT-4.7.3-1; in 5.0 a Topic Alias may stand in). */
    @Nested
    class TopicNames {
        @ParameterizedTest
        @ValueSource(strings = {"+", "#", "a/+", "a/#", "+/a", "a/b+", "sport/tennis#", "a/+/b"})
        void wildcardInPublishTopicIsATopicNameInvalid(String topic) {
            assertRejected(V3, packet(0x30, s(topic) + "6869"), TOPIC_NAME_INVALID, "MQTT-3.3.2-2");
            assertRejected(V5, packet(0x32, s(topic) + "0001" + "00" + "6869"), TOPIC_NAME_INVALID,
                    "MQTT-3.3.2-2");
            assertRefused(() -> Publish.atMostOnce(topic, Unpooled.EMPTY_BUFFER), TOPIC_NAME_INVALID,
                    "MQTT-3.3.2-2");
        }

        @ParameterizedTest
        @ValueSource(strings = {"+", "#", "will/+", "will/#"})
        void wildcardInWillTopicIsATopicNameInvalid(String topic) {
            assertRejected(null, connect3(0x06, s(topic) + prefixed("6869")), TOPIC_NAME_INVALID, "MQTT-3.3.2-2");
            assertRejected(null, connect5(0x06, "00", "00" + s(topic) + prefixed("6869")), TOPIC_NAME_INVALID,
                    "MQTT-3.3.2-2");
            assertRefused(() -> new Will(topic, BinaryData.EMPTY, QoS.AT_MOST_ONCE, false, Properties.EMPTY),
                    TOPIC_NAME_INVALID, "MQTT-3.3.2-2");
        }

        @Test
        void emptyTopicNameIn311IsMalformed() {
            assertRejected(V3, packet(0x30, s("") + "6869"), MALFORMED, "MQTT-4.7.3-1");
            assertRejected(MqttVersion.V3_1, packet(0x32, s("") + "0001"), MALFORMED, "MQTT-4.7.3-1");
        }

        @Test
        void emptyWillTopicIsMalformed() {
            assertRejected(null, connect3(0x06, s("") + prefixed("")), MALFORMED, "MQTT-4.7.3-1");
            assertRefused(() -> new Will("", BinaryData.EMPTY, QoS.AT_MOST_ONCE, false, Properties.EMPTY),
                    MALFORMED, "MQTT-4.7.3-1");
        }

        @Test
        void emptyTopicNameIn5WithoutTopicAliasIsAProtocolError() {
            assertRejected(V5, packet(0x30, s("") + "00" + "6869"), PROTOCOL, "3.3.2.1");
            assertRejected(V5, packet(0x32, s("") + "0001" + props("0101") + "6869"), PROTOCOL, "3.3.2.1");
            assertRefused(() -> new Publish("", QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY,
                    Unpooled.EMPTY_BUFFER), PROTOCOL, "3.3.2.1");
        }

        @Test
        void emptyTopicNameIn5WithTopicAliasDecodes() {
            assertDecodes(V5, packet(0x30, s("") + props("230005") + "6869"), p -> {
                Publish publish = (Publish) p;
                assertEquals("", publish.topic());
                assertEquals(5, publish.properties().integerOr(PropertyId.TOPIC_ALIAS, -1));
                assertEquals("hi", payloadString(p));
            });
        }
    }

    /** Topic filters of SUBSCRIBE and UNSUBSCRIBE (MQTT-4.7.1-1, MQTT-4.7.1-2, MQTT-4.7.3-1). */
    @Nested
    class TopicFilters {
        static Stream<Arguments> badFilters() {
            return Stream.of(
                    Arguments.of("a/#/b", "MQTT-4.7.1-1"),
                    Arguments.of("#/a", "MQTT-4.7.1-1"),
                    Arguments.of("a/b#", "MQTT-4.7.1-1"),
                    Arguments.of("a#", "MQTT-4.7.1-1"),
                    Arguments.of("##", "MQTT-4.7.1-1"),
                    Arguments.of("a+/b", "MQTT-4.7.1-2"),
                    Arguments.of("a/+b", "MQTT-4.7.1-2"),
                    Arguments.of("+a", "MQTT-4.7.1-2"),
                    Arguments.of("a/b+", "MQTT-4.7.1-2"),
                    Arguments.of("++", "MQTT-4.7.1-2"),
                    Arguments.of("", "MQTT-4.7.3-1"));
        }

        @ParameterizedTest(name = "''{0}'' breaks {1}")
        @MethodSource("badFilters")
        void badFilterIsMalformed(String filter, String rule) {
            assertRejected(V3, packet(0x82, "0001" + s(filter) + "00"), MALFORMED, rule);
            assertRejected(V5, packet(0x82, "0001 00" + s("ok") + "00" + s(filter) + "01"), MALFORMED, rule);
            assertRejected(V3, packet(0xA2, "0001" + s(filter)), MALFORMED, rule);
            assertRejected(V5, packet(0xA2, "0001 00" + s("ok") + s(filter)), MALFORMED, rule);
            assertRefused(() -> new Subscription(filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE)), MALFORMED, rule);
            assertRefused(() -> new Unsubscribe(1, List.of(filter), Properties.EMPTY), MALFORMED, rule);
        }

        @ParameterizedTest
        @ValueSource(strings = {"#", "+", "a/+/#", "/", "+/+", "a//b", "$SYS/#", "$sharex/a", "a/b/c"})
        void wellFormedFiltersDecode(String filter) {
            assertDecodes(V3, packet(0x82, "0001" + s(filter) + "01"), p -> assertEquals(
                    List.of(new Subscription(filter, SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                    ((Subscribe) p).subscriptions()));
            assertDecodes(V5, packet(0xA2, "0001 00" + s(filter)),
                    p -> assertEquals(List.of(filter), ((Unsubscribe) p).filters()));
        }
    }

    /** Shared subscriptions: $share/{ShareName}/{filter} (MQTT-4.8.2-1, MQTT-4.8.2-2) and No Local (MQTT-3.8.3-4). */
    @Nested
    class SharedSubscriptions {
        static Stream<Arguments> badShared() {
            return Stream.of(
                    Arguments.of("$share//a", "MQTT-4.8.2-1"),
                    Arguments.of("$share/", "MQTT-4.8.2-1"),
                    Arguments.of("$share/g", "MQTT-4.8.2-2"),
                    Arguments.of("$share/g/", "MQTT-4.8.2-2"),
                    Arguments.of("$share/g+/a", "MQTT-4.8.2-2"),
                    Arguments.of("$share/g#/a", "MQTT-4.8.2-2"),
                    Arguments.of("$share/+/a", "MQTT-4.8.2-2"),
                    Arguments.of("$share/g/a#", "MQTT-4.7.1-1"),
                    Arguments.of("$share/g/a+", "MQTT-4.7.1-2"));
        }

        @ParameterizedTest(name = "''{0}'' breaks {1}")
        @MethodSource("badShared")
        void badSharedFilterIsMalformed(String filter, String rule) {
            assertRejected(V5, packet(0x82, "0001 00" + s(filter) + "00"), MALFORMED, rule);
            assertRejected(V5, packet(0xA2, "0001 00" + s(filter)), MALFORMED, rule);
            assertRefused(() -> new Subscription(filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE)), MALFORMED, rule);
        }

        @Test
        void noLocalOnASharedSubscriptionIsAProtocolError() {
            assertRejected(V5, packet(0x82, "0001 00" + s("$share/g/a") + "04"), PROTOCOL, "MQTT-3.8.3-4");
            assertRejected(V5, packet(0x82, "0001 00" + s("a") + "00" + s("$share/g/#") + "2e"), PROTOCOL,
                    "MQTT-3.8.3-4");
            assertRefused(() -> new Subscription("$share/g/a",
                    new SubscriptionOptions(QoS.AT_MOST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                    PROTOCOL, "MQTT-3.8.3-4");
        }

        @Test
        void noLocalOnAnOrdinarySubscriptionAndASharedOneWithoutItDecode() {
            assertDecodes(V5, packet(0x82, "0001 00" + s("a/b") + "04" + s("$share/g/+/x") + "2a"), p -> {
                List<Subscription> subs = ((Subscribe) p).subscriptions();
                assertEquals(new Subscription("a/b",
                        new SubscriptionOptions(QoS.AT_MOST_ONCE, true, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                        subs.get(0));
                assertEquals(new Subscription("$share/g/+/x",
                        new SubscriptionOptions(QoS.EXACTLY_ONCE, false, true, RetainHandling.DO_NOT_SEND)),
                        subs.get(1));
            });
        }
    }

    /** A packet identifier is 1 to 65 535 (MQTT-2.2.1-3), and absent at QoS 0 (MQTT-2.2.1-2). */
    @Nested
    class PacketIdentifiers {
        static Stream<Arguments> zeroIds() {
            return Stream.of(
                    Arguments.of("PUBLISH QoS 1", V3, packet(0x32, s("a") + "0000" + "6869")),
                    Arguments.of("PUBLISH QoS 2", V3, packet(0x34, s("a") + "0000")),
                    Arguments.of("PUBLISH QoS 1 v5", V5, packet(0x32, s("a") + "0000" + "00")),
                    Arguments.of("PUBLISH QoS 2 v5", V5, packet(0x34, s("a") + "0000" + "00" + "6869")),
                    Arguments.of("SUBSCRIBE", V3, packet(0x82, "0000" + s("a") + "00")),
                    Arguments.of("SUBSCRIBE v5", V5, packet(0x82, "0000 00" + s("a") + "00")),
                    Arguments.of("UNSUBSCRIBE", V3, packet(0xA2, "0000" + s("a"))),
                    Arguments.of("UNSUBSCRIBE v5", V5, packet(0xA2, "0000 00" + s("a"))),
                    Arguments.of("PUBACK", V3, "40 02 0000"),
                    Arguments.of("PUBREC", V3, "50 02 0000"),
                    Arguments.of("PUBREL", V3, "62 02 0000"),
                    Arguments.of("PUBCOMP", V3, "70 02 0000"),
                    Arguments.of("PUBACK v5 with reason", V5, "40 03 0000 10"),
                    Arguments.of("PUBREC v5 with properties", V5, "50 04 0000 00 00"),
                    Arguments.of("PUBREL v5", V5, "62 02 0000"),
                    Arguments.of("PUBCOMP v5 with reason", V5, "70 03 0000 92"),
                    Arguments.of("SUBACK", V3, "90 03 0000 00"),
                    Arguments.of("SUBACK v5", V5, "90 04 0000 00 01"),
                    Arguments.of("UNSUBACK", V3, "b0 02 0000"),
                    Arguments.of("UNSUBACK v5", V5, "b0 04 0000 00 00"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("zeroIds")
        void packetIdentifierZeroIsAProtocolError(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, PROTOCOL, "MQTT-2.2.1-3");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 65_536})
        void valuesRefuseIdentifiersOutOfRange(int id) {
            SubscriptionOptions qos0 = SubscriptionOptions.of(QoS.AT_MOST_ONCE);
            assertRefused(() -> new Puback(id), PROTOCOL, "MQTT-2.2.1-3");
            assertRefused(() -> new Pubrec(id), PROTOCOL, "MQTT-2.2.1-3");
            assertRefused(() -> new Pubrel(id), PROTOCOL, "MQTT-2.2.1-3");
            assertRefused(() -> new Pubcomp(id), PROTOCOL, "MQTT-2.2.1-3");
            assertRefused(() -> new Subscribe(id, List.of(new Subscription("a", qos0)), Properties.EMPTY), PROTOCOL,
                    "MQTT-2.2.1-3");
            assertRefused(() -> new Unsubscribe(id, List.of("a"), Properties.EMPTY), PROTOCOL, "MQTT-2.2.1-3");
            assertRefused(() -> new Suback(id, List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY), PROTOCOL,
                    "MQTT-2.2.1-3");
            assertRefused(() -> new Unsuback(id), PROTOCOL, "MQTT-2.2.1-3");
            assertRefused(() -> new Publish("a", QoS.AT_LEAST_ONCE, false, false, id, Properties.EMPTY,
                    Unpooled.EMPTY_BUFFER), PROTOCOL, "MQTT-2.2.1-3");
        }

        @Test
        void qos0PublishValueRefusesAPacketIdentifier() {
            assertRefused(() -> new Publish("a", QoS.AT_MOST_ONCE, false, false, 7, Properties.EMPTY,
                    Unpooled.EMPTY_BUFFER), PROTOCOL, "MQTT-2.2.1-2");
        }

        @Test
        void largestPacketIdentifierDecodes() {
            assertDecodes(V3, "40 02 ffff", p -> assertEquals(new Puback(65_535), p));
        }
    }

    /** The first fixed-header byte: type and reserved flags (section 2.1.2, MQTT-2.1.3-1, MQTT-3.3.1-2, -4). */
    @Nested
    class FixedHeaders {
        static Stream<Arguments> wrongFlags() {
            List<Arguments> cases = new ArrayList<>();
            for (PacketType t : PacketType.values()) {
                if (t == PacketType.PUBLISH) {
                    continue;
                }
                for (int flags = 0; flags < 16; flags++) {
                    if (flags != t.requiredFlags()) {
                        cases.add(Arguments.of(t, flags));
                    }
                }
            }
            return cases.stream();
        }

        @ParameterizedTest(name = "{0} with flags {1}")
        @MethodSource("wrongFlags")
        void reservedFlagsMustBeExact(PacketType type, int flags) {
            String hex = String.format("%02x00", type.value() << 4 | flags);
            assertRejected(V5, hex, MALFORMED, "MQTT-2.1.3-1");
            if (type != PacketType.AUTH) {
                assertRejected(V3, hex, MALFORMED, "MQTT-2.1.3-1");
            }
        }

        @Test
        void requiredFlagsAreThe0010OfPubrelSubscribeUnsubscribeAndZeroElsewhere() {
            assertEquals(0b0010, PacketType.PUBREL.requiredFlags());
            assertEquals(0b0010, PacketType.SUBSCRIBE.requiredFlags());
            assertEquals(0b0010, PacketType.UNSUBSCRIBE.requiredFlags());
            for (PacketType t : PacketType.values()) {
                if (t != PacketType.PUBREL && t != PacketType.SUBSCRIBE && t != PacketType.UNSUBSCRIBE
                        && t != PacketType.PUBLISH) {
                    assertEquals(0, t.requiredFlags(), t::toString);
                }
            }
            assertDecodes(V3, "62 02 0009", p -> assertEquals(new Pubrel(9), p));
            assertDecodes(V5, "c0 00", p -> assertEquals(PacketType.PINGREQ, p.type()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"00 00", "0f 00", "02 00"})
        void packetType0IsReserved(String hex) {
            assertRejected(V3, hex, MALFORMED, "2.1.2");
            assertRejected(V5, hex, MALFORMED, "2.1.2");
            assertRejected(null, hex, MALFORMED, "2.1.2");
        }

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1", "V3_1_1"})
        void authDoesNotExistBefore5(MqttVersion v) {
            assertRejected(v, "f0 00", MALFORMED, "2.1.2");
            assertRejected(v, "f0 02 18 00", MALFORMED, "2.1.2");
            assertDecodes(V5, "f0 00", p -> assertEquals(new Auth(ReasonCode.SUCCESS, Properties.EMPTY), p));
        }

        @ParameterizedTest
        @ValueSource(ints = {0x36, 0x37, 0x3E, 0x3F})
        void publishQos3IsMalformed(int firstByte) {
            assertRejected(V3, packet(firstByte, s("a") + "0001"), MALFORMED, "MQTT-3.3.1-4");
            assertRejected(V5, packet(firstByte, s("a") + "0001 00"), MALFORMED, "MQTT-3.3.1-4");
        }

        @ParameterizedTest
        @ValueSource(ints = {0x38, 0x39})
        void dupOnQos0IsMalformed(int firstByte) {
            assertRejected(V3, packet(firstByte, s("a") + "6869"), MALFORMED, "MQTT-3.3.1-2");
            assertRejected(V5, packet(firstByte, s("a") + "00"), MALFORMED, "MQTT-3.3.1-2");
            assertRefused(() -> new Publish("a", QoS.AT_MOST_ONCE, false, true, 0, Properties.EMPTY,
                    Unpooled.EMPTY_BUFFER), MALFORMED, "MQTT-3.3.1-2");
        }

        @Test
        void dupOnQos1AndRetainDecode() {
            assertDecodes(V3, packet(0x3B, s("a") + "0007" + "6869"), p -> {
                Publish publish = (Publish) p;
                assertTrue(publish.dup());
                assertTrue(publish.retain());
                assertEquals(QoS.AT_LEAST_ONCE, publish.qos());
                assertEquals(7, publish.packetId());
                assertEquals("hi", payloadString(p));
            });
        }
    }

    /** CONNECT: protocol name and level, connect flags (MQTT-3.1.2-1 to -3, -11 to -13, -22). */
    @Nested
    class Connects {
        @ParameterizedTest
        @ValueSource(ints = {0x01, 0x03, 0xC7})
        void reservedConnectFlagIsMalformed(int flags) {
            assertRejected(null, connect3(flags, ""), MALFORMED, "MQTT-3.1.2-3");
            assertRejected(null, connect5(flags, "00", ""), MALFORMED, "MQTT-3.1.2-3");
        }

        @ParameterizedTest
        @ValueSource(ints = {0x08, 0x10, 0x18, 0x0A})
        void willQosWithoutWillFlagIsMalformed(int flags) {
            assertRejected(null, connect3(flags, ""), MALFORMED, "MQTT-3.1.2-11");
            assertRejected(null, connect5(flags, "00", ""), MALFORMED, "MQTT-3.1.2-11");
        }

        @Test
        void willRetainWithoutWillFlagIsMalformed() {
            assertRejected(null, connect3(0x22, ""), MALFORMED, "MQTT-3.1.2-13");
            assertRejected(null, connect5(0x20, "00", ""), MALFORMED, "MQTT-3.1.2-13");
        }

        @Test
        void willQos3IsMalformed() {
            assertRejected(null, connect3(0x1E, s("w") + prefixed("")), MALFORMED, "MQTT-3.1.2-12");
            assertRejected(null, connect5(0x3C, "00", "00" + s("w") + prefixed("")), MALFORMED, "MQTT-3.1.2-12");
        }

        @Test
        void willQos2AndRetainWithWillFlagDecode() {
            assertDecodes(null, connect3(0x36, s("w/t") + prefixed("6869")), p -> {
                Will will = ((Connect) p).will();
                assertEquals(new Will("w/t", BinaryData.of(new byte[] {'h', 'i'}), QoS.EXACTLY_ONCE, true,
                        Properties.EMPTY), will);
            });
        }

        @Test
        void passwordWithoutUserNameIsMalformedIn311() {
            assertRejected(null, connect3(0x42, prefixed("7077")), MALFORMED, "MQTT-3.1.2-22");
            assertRejected(null, packet(0x10, s("MQIsdp") + "03 42 003c" + s("c") + prefixed("7077")), MALFORMED,
                    "MQTT-3.1.2-22");
            assertRefused(() -> new Connect(V3, "c", true, 60, null, BinaryData.of(new byte[] {1}), null,
                    Properties.EMPTY), MALFORMED, "MQTT-3.1.2-22");
        }

        @Test
        void passwordWithoutUserNameDecodesIn5() {
            assertDecodes(null, connect5(0x42, "00", prefixed("7077")), p -> {
                Connect c = (Connect) p;
                assertEquals(V5, c.version());
                assertNull(c.username());
                assertArrayEquals(new byte[] {'p', 'w'}, c.password().toByteArray());
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"MQTX", "mqtt", "", "MQTT ", "MQIsdpX"})
        void unknownProtocolNameIsAProtocolError(String name) {
            assertRejected(null, packet(0x10, s(name) + "04 02 003c" + s("c")), PROTOCOL, "MQTT-3.1.2-1");
        }

        static Stream<Arguments> unsupportedLevels() {
            return Stream.of(
                    Arguments.of("MQTT", 6), Arguments.of("MQTT", 3), Arguments.of("MQTT", 0),
                    Arguments.of("MQTT", 255), Arguments.of("MQIsdp", 4), Arguments.of("MQIsdp", 5));
        }

        @ParameterizedTest(name = "{0} level {1}")
        @MethodSource("unsupportedLevels")
        void unsupportedProtocolLevelIsRefusedWithUnsupportedProtocolVersion(String name, int level) {
            assertRejected(null, packet(0x10, s(name) + String.format("%02x", level) + "02 003c" + s("c")),
                    ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-2");
        }

        @Test
        void everySupportedNameAndLevelDecodes() {
            assertDecodes(null, packet(0x10, s("MQIsdp") + "03 02 003c" + s("c")),
                    p -> assertEquals(MqttVersion.V3_1, ((Connect) p).version()));
            assertDecodes(null, connect3(0x02, ""), p -> assertEquals(V3, ((Connect) p).version()));
            assertDecodes(null, connect5(0x02, "00", ""), p -> assertEquals(V5, ((Connect) p).version()));
        }
    }

    /** CONNACK: reserved acknowledge flags (MQTT-3.2.2-1), return and reason codes, Session Present. */
    @Nested
    class Connacks {
        @Test
        void reservedAcknowledgeFlagsAreMalformed() {
            assertRejected(V3, "20 02 02 00", MALFORMED, "MQTT-3.2.2-1");
            assertRejected(V3, "20 02 ff 00", MALFORMED, "MQTT-3.2.2-1");
            assertRejected(V5, "20 03 80 00 00", MALFORMED, "MQTT-3.2.2-1");
        }

        @ParameterizedTest
        @ValueSource(ints = {6, 0x80, 0x87, 0xff})
        void unknownV3ReturnCodeIsMalformed(int code) {
            assertRejected(V3, String.format("20 02 00 %02x", code), MALFORMED, "3.2.2.3");
        }

        @ParameterizedTest
        @ValueSource(ints = {0x01, 0x04, 0x06, 0x8e, 0xa0})
        void codeThatIsNotAConnackReasonCodeIsMalformedIn5(int code) {
            assertRejected(V5, String.format("20 03 00 %02x 00", code), MALFORMED, "3.2.2.2");
        }

        /** MQTT-3.2.2-6 binds the sending server; a reader keeps the flag as written and the refusal stands. */
        @Test
        void sessionPresentWithARefusalIsReadAsWritten() {
            assertDecodes(V5, "20 03 01 87 00", p -> assertEquals(
                    new Connack(true, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY), p));
            assertDecodes(V3, "20 02 01 05", p -> assertEquals(
                    new Connack(true, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY), p));
        }

        @Test
        void v3ReturnCodesMapOntoReasonCodes() {
            assertDecodes(V3, "20 02 01 00", p -> assertEquals(new Connack(true), p));
            assertDecodes(V3, "20 02 00 05", p -> assertEquals(
                    new Connack(false, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY), p));
        }
    }

    /** SUBSCRIBE options and payload, SUBACK and UNSUBACK codes. */
    @Nested
    class SubscribeAndAcks {
        @ParameterizedTest
        @ValueSource(ints = {0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xfc})
        void v3SubscriptionOptionBits2To7AreReserved(int options) {
            assertRejected(V3, packet(0x82, "0001" + s("a") + String.format("%02x", options)), MALFORMED,
                    "MQTT-3.8.3-4");
        }

        @ParameterizedTest
        @ValueSource(ints = {0x40, 0x80, 0xc0, 0x6e})
        void v5SubscriptionOptionBits6And7AreReserved(int options) {
            assertRejected(V5, packet(0x82, "0001 00" + s("a") + String.format("%02x", options)), MALFORMED,
                    "MQTT-3.8.3-5");
        }

        @Test
        void subscriptionQos3() {
            assertRejected(V3, packet(0x82, "0001" + s("a") + "03"), MALFORMED, "MQTT-3.8.3-4");
            assertRejected(V5, packet(0x82, "0001 00" + s("a") + "03"), PROTOCOL, "3.8.3.1");
        }

        @Test
        void retainHandling3IsAProtocolError() {
            assertRejected(V5, packet(0x82, "0001 00" + s("a") + "30"), PROTOCOL, "3.8.3.1");
            assertRejected(V5, packet(0x82, "0001 00" + s("a") + "3a"), PROTOCOL, "3.8.3.1");
        }

        @Test
        void subscribeWithoutFiltersIsAProtocolError() {
            assertRejected(V3, "82 02 0001", PROTOCOL, "MQTT-3.8.3-2");
            assertRejected(V5, "82 03 0001 00", PROTOCOL, "MQTT-3.8.3-2");
            assertRefused(() -> new Subscribe(1, List.of(), Properties.EMPTY), PROTOCOL, "MQTT-3.8.3-2");
        }

        @Test
        void unsubscribeWithoutFiltersIsAProtocolError() {
            assertRejected(V3, "a2 02 0001", PROTOCOL, "MQTT-3.10.3-2");
            assertRejected(V5, "a2 03 0001 00", PROTOCOL, "MQTT-3.10.3-2");
            assertRefused(() -> new Unsubscribe(1, List.of(), Properties.EMPTY), PROTOCOL, "MQTT-3.10.3-2");
        }

        @Test
        void subackWithoutCodesIsAProtocolError() {
            assertRejected(V3, "90 02 0001", PROTOCOL, "MQTT-3.8.4-6");
            assertRejected(V5, "90 03 0001 00", PROTOCOL, "MQTT-3.8.4-6");
            assertRefused(() -> new Suback(1, List.of(), Properties.EMPTY), PROTOCOL, "MQTT-3.8.4-6");
        }

        @ParameterizedTest
        @ValueSource(ints = {0x03, 0x11, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2})
        void v3SubackReturnCodeOtherThan0To2And0x80IsMalformed(int code) {
            assertRejected(V3, String.format("90 04 0001 00 %02x", code), MALFORMED, "MQTT-3.9.3-2");
        }

        @Test
        void v3SubackWithItsFourReturnCodesDecodes() {
            assertDecodes(V3, "90 06 0001 00 01 02 80", p -> assertEquals(List.of(ReasonCode.GRANTED_QOS_0,
                    ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR),
                    ((Suback) p).reasonCodes()));
            assertDecodes(V5, "90 05 0001 00 87 9e", p -> assertEquals(List.of(ReasonCode.NOT_AUTHORIZED,
                    ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED), ((Suback) p).reasonCodes()));
        }

        @Test
        void v5UnsubackWithoutCodesIsAProtocolError() {
            assertRejected(V5, "b0 03 0001 00", PROTOCOL, "MQTT-3.11.3-1");
            assertDecodes(V3, "b0 02 0001", p -> assertEquals(new Unsuback(1), p));
        }
    }

    /** A reason code must be one the packet may carry (section 2.4). */
    @Nested
    class ReasonCodes {
        static Stream<Arguments> invalidCodes() {
            return Stream.of(
                    Arguments.of("PUBACK 0x8E", "40 03 0001 8e"),
                    Arguments.of("PUBACK 0x92", "40 03 0001 92"),
                    Arguments.of("PUBREC 0x92", "50 04 0001 92 00"),
                    Arguments.of("PUBREL 0x10", "62 03 0001 10"),
                    Arguments.of("PUBCOMP 0x80", "70 03 0001 80"),
                    Arguments.of("SUBACK 0x11", "90 04 0001 00 11"),
                    Arguments.of("SUBACK 0x03", "90 05 0001 00 00 03"),
                    Arguments.of("UNSUBACK 0x01", "b0 04 0001 00 01"),
                    Arguments.of("DISCONNECT 0x01", "e0 01 01"),
                    Arguments.of("DISCONNECT 0x84", "e0 02 84 00"),
                    Arguments.of("AUTH 0x01", "f0 02 01 00"),
                    Arguments.of("AUTH 0x80", "f0 02 80 00"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidCodes")
        void reasonCodeNotValidForThePacketIsMalformed(String what, String hex) {
            assertRejected(V5, hex, MALFORMED, "2.4");
        }

        @Test
        void valuesRefuseReasonCodesOfOtherPackets() {
            assertRefused(() -> new Puback(1, ReasonCode.SESSION_TAKEN_OVER, Properties.EMPTY), MALFORMED, "2.4");
            assertRefused(() -> new Pubrel(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), MALFORMED,
                    "2.4");
            assertRefused(() -> new Suback(1, List.of(ReasonCode.SUCCESS), Properties.EMPTY), MALFORMED, "2.4");
            assertRefused(() -> new Disconnect(ReasonCode.SUCCESS), MALFORMED, "2.4");
            assertRefused(() -> new Connack(false, ReasonCode.GRANTED_QOS_1, Properties.EMPTY), MALFORMED, "2.4");
        }

        @Test
        void reasonCodesValidForThePacketDecode() {
            assertDecodes(V5, "40 03 0001 10", p -> assertEquals(
                    new Puback(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY), p));
            assertDecodes(V5, "62 03 0001 92", p -> assertEquals(
                    new Pubrel(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY), p));
            assertDecodes(V5, "e0 01 8e", p -> assertEquals(new Disconnect(ReasonCode.SESSION_TAKEN_OVER), p));
        }
    }

    /** Variable byte integers: at most four bytes (section 1.5.5), minimally encoded (MQTT-1.5.5-1). */
    @Nested
    class VariableByteIntegers {
        @ParameterizedTest
        @ValueSource(strings = {"30 ff ff ff ff 01", "c0 80 80 80 80 00", "30 80 80 80 80"})
        void remainingLengthLongerThanFourBytesIsMalformed(String hex) {
            assertRejected(V5, hex, MALFORMED, "1.5.5");
        }

        @Test
        void propertyLengthLongerThanFourBytesIsMalformed() {
            assertRejected(V5, packet(0x40, "0001 00 ff ff ff ff 01"), MALFORMED, "1.5.5");
            assertRejected(V5, packet(0x82, "0001" + props("0b ff ff ff ff 01") + s("a") + "00"), MALFORMED, "1.5.5");
        }

        @ParameterizedTest
        @ValueSource(strings = {"c0 80 00", "c0 80 80 00", "c0 80 80 80 00", "40 82 00 0001"})
        void nonMinimalRemainingLengthIsMalformed(String hex) {
            assertRejected(V5, hex, MALFORMED, "MQTT-1.5.5-1");
        }

        @Test
        void nonMinimalVariableByteIntegersInsideThePacketAreMalformed() {
            assertRejected(V5, packet(0x40, "0001 00 80 00"), MALFORMED, "MQTT-1.5.5-1");
            // Subscription Identifier 1 written as 81 00.
            assertRejected(V5, packet(0x82, "0001 03 0b 81 00" + s("a") + "00"), MALFORMED, "MQTT-1.5.5-1");
        }

        @Test
        void multiByteRemainingLengthDecodes() {
            String payload = "ab".repeat(200); // remaining length 203: two bytes, cb 01
            String hex = packet(0x30, s("a") + payload);
            assertEquals("30cb01", hex.substring(0, 6));
            assertDecodes(V3, hex, p -> assertEquals(200, ((Publish) p).payload().readableBytes()));
        }
    }

    /** The remaining length must match the content exactly (section 2.1.4). */
    @Nested
    class RemainingLength {
        static Stream<Arguments> truncated() {
            return Stream.of(
                    Arguments.of("PUBACK one byte short", V5, "40 02 00"),
                    Arguments.of("PUBLISH two bytes short", V3, "30 05 0003 61"),
                    Arguments.of("first byte only", V5, "c0"),
                    Arguments.of("remaining length cut", V5, "30 ff"),
                    Arguments.of("CONNECT cut after its protocol level", null, "10 10 0004 4d515454 04"));
        }

        /** decodeOne holds whole packets: bytes that end before the remaining length does are malformed. */
        @ParameterizedTest(name = "{0}")
        @MethodSource("truncated")
        void remainingLengthBeyondTheBytesIsMalformed(String what, MqttVersion v, String hex) {
            assertReason(RejectionTest.rejectOne(v, hex), MALFORMED, "2.1.4");
        }

        @Test
        void bytesAfterThePacketAreMalformedForDecodeOne() {
            assertReason(rejectOne(V5, "c0 00 c0 00"), MALFORMED, "2.1.4");
            assertReason(rejectOne(V3, "40 02 0001 00"), MALFORMED, "2.1.4");
        }

        static Stream<Arguments> contentBeyondItsFields() {
            return Stream.of(
                    Arguments.of("PINGREQ with remaining length 1", V3, "c0 01 00"),
                    Arguments.of("PINGRESP with remaining length 2", V5, "d0 02 00 00"),
                    Arguments.of("PUBACK v3 with remaining length 3", V3, "40 03 0001 00"),
                    Arguments.of("PUBCOMP v3 with remaining length 4", V3, "70 04 0001 0000"),
                    Arguments.of("UNSUBACK v3 with a code", V3, "b0 03 0001 00"),
                    Arguments.of("CONNACK v3 with remaining length 3", V3, "20 03 00 00 00"),
                    Arguments.of("DISCONNECT v3 with a reason code", V3, "e0 01 00"),
                    Arguments.of("CONNECT with a trailing byte", null, connect3(0x02, "00")),
                    Arguments.of("PUBACK v5 after its properties", V5, "40 05 0001 00 00 00"),
                    Arguments.of("AUTH after its properties", V5, "f0 03 00 00 00"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("contentBeyondItsFields")
        void bytesBeyondThePacketsFieldsAreMalformed(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, MALFORMED, "2.1.4");
        }

        static Stream<Arguments> fieldsBeyondTheContent() {
            return Stream.of(
                    Arguments.of("PUBACK cut inside its identifier", V3, "40 01 00"),
                    Arguments.of("PUBLISH QoS 1 cut before its identifier", V3, packet(0x32, s("a"))),
                    Arguments.of("PUBLISH topic longer than the packet", V3, "30 03 0005 61"),
                    Arguments.of("CONNACK cut after its flags", V3, "20 01 00"),
                    Arguments.of("CONNECT cut inside the client id", null,
                            packet(0x10, s("MQTT") + "04 02 003c 0005 61")),
                    Arguments.of("CONNECT without its will payload", null, connect3(0x06, s("w"))),
                    Arguments.of("CONNECT without its user name", null, connect3(0x82, "")),
                    Arguments.of("SUBSCRIBE filter without options", V3, packet(0x82, "0001" + s("a"))));
        }

        /** The remaining length is the packet's end: a field that runs past it is malformed, never read on. */
        @ParameterizedTest(name = "{0}")
        @MethodSource("fieldsBeyondTheContent")
        void fieldsRunningPastTheRemainingLengthAreMalformed(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, MALFORMED, "2.1.4");
        }

        @Test
        void propertyLengthMissingAtTheEndOfTheRemainingLengthIsMalformed() {
            // A 5.0 CONNACK must carry a property length; the codec names the variable byte integer's section.
            assertRejected(V5, "20 02 00 00", MALFORMED, "1.5.5");
        }
    }

    /** MQTT 5.0 properties (section 2.2.2.2 and each property's own rules). */
    @Nested
    class PropertyRules {
        @ParameterizedTest
        @ValueSource(strings = {"04 00", "00 00", "2b 00", "7f 00", "80 01 00", "05 00 00 00 00"})
        void unknownPropertyIdentifierIsMalformed(String property) {
            assertRejected(V5, packet(0x40, "0001 00" + props(property)), MALFORMED, "2.2.2.2");
            assertRejected(V5, packet(0x30, s("a") + props(property)), MALFORMED, "2.2.2.2");
        }

        static Stream<Arguments> duplicated() {
            return Stream.of(
                    Arguments.of("Payload Format Indicator in PUBLISH", V5, packet(0x30, s("a") + props("0100 0101"))),
                    Arguments.of("Topic Alias in PUBLISH", V5, packet(0x30, s("a") + props("230001 230002"))),
                    Arguments.of("Reason String in PUBACK", V5,
                            packet(0x40, "0001 00" + props("1f" + s("x") + "1f" + s("y")))),
                    Arguments.of("Session Expiry Interval in CONNECT", null,
                            connect5(0x02, props("11 0000000a 26" + s("k") + s("v") + "11 0000000a"), "")),
                    Arguments.of("Will Delay Interval in a will", null,
                            connect5(0x06, "00", props("18 00000001 18 00000002") + s("w") + prefixed(""))),
                    Arguments.of("Maximum QoS in CONNACK", V5, "20 07 00 00 04 24 00 24 01"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("duplicated")
        void propertyThatMayAppearOnceAppearingTwiceIsAProtocolError(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, PROTOCOL, "2.2.2.2");
        }

        @Test
        void repeatableUserPropertiesAndPublishSubscriptionIdentifiersDecodeInOrder() {
            assertDecodes(V5, packet(0x30, s("a") + props("26" + s("k") + s("1") + "0b 05 26" + s("k") + s("2")
                    + "0b 01")), p -> {
                Properties props = ((Publish) p).properties();
                assertEquals(List.of(5, 1), props.subscriptionIdentifiers());
                assertEquals(List.of("1", "2"),
                        props.userProperties().stream().map(u -> u.value()).toList());
            });
        }

        static Stream<Arguments> outOfPlace() {
            return Stream.of(
                    Arguments.of("Topic Alias in CONNECT", null, connect5(0x02, props("23 0001"), "")),
                    Arguments.of("Reason String in PUBLISH", V5, packet(0x30, s("a") + props("1f" + s("r")))),
                    Arguments.of("Session Expiry Interval in PUBLISH", V5, packet(0x30, s("a") + props("11 00000001"))),
                    Arguments.of("Topic Alias in PUBACK", V5, packet(0x40, "0001 00" + props("23 0001"))),
                    Arguments.of("Payload Format Indicator in SUBSCRIBE", V5,
                            packet(0x82, "0001" + props("01 01") + s("a") + "00")),
                    Arguments.of("Subscription Identifier in UNSUBSCRIBE", V5,
                            packet(0xA2, "0001" + props("0b 01") + s("a"))),
                    Arguments.of("Receive Maximum in DISCONNECT", V5, packet(0xE0, "00" + props("21 0001"))),
                    Arguments.of("Will Delay Interval in CONNACK", V5, packet(0x20, "00 00" + props("18 00000001"))),
                    Arguments.of("Assigned Client Identifier in CONNECT", null,
                            connect5(0x02, props("12" + s("x")), "")),
                    Arguments.of("Server Reference in AUTH", V5, packet(0xF0, "18" + props("1c" + s("h")))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("outOfPlace")
        void propertyNotValidForThePacketIsMalformed(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, MALFORMED, "2.2.2.2");
        }

        @Test
        void valuesRefusePropertiesNotValidForThePacket() {
            Properties alias = Properties.builder().add(PropertyId.TOPIC_ALIAS, 1).build();
            assertRefused(() -> new Connect(V5, "c", true, 0, null, null, null, alias), MALFORMED, "2.2.2.2");
            assertRefused(() -> new Puback(1, ReasonCode.SUCCESS, alias), MALFORMED, "2.2.2.2");
        }

        @ParameterizedTest
        @ValueSource(strings = {"11 0000000a", "23 0001", "21 0001", "1f 0001 72", "16 0001 00"})
        void willPropertyNotAllowedInWillsIsMalformed(String property) {
            assertRejected(null, connect5(0x06, "00", props(property) + s("w") + prefixed("")), MALFORMED, "2.2.2.2");
        }

        @Test
        void willValueRefusesPropertiesNotAllowedInWills() {
            Properties p = Properties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 10).build();
            assertRefused(() -> new Will("w", BinaryData.EMPTY, QoS.AT_MOST_ONCE, false, p), MALFORMED, "2.2.2.2");
        }

        @Test
        void willPropertiesAllowedInWillsDecode() {
            String willProps = "18 0000003c 01 01 02 00000010 03" + s("text/plain") + "08" + s("r/t") + "09"
                    + prefixed("0102") + "26" + s("k") + s("v");
            assertDecodes(null, connect5(0x06, "00", props(willProps) + s("w") + prefixed("6869")), p -> {
                Properties wp = ((Connect) p).will().properties();
                assertEquals(60, wp.integerOr(PropertyId.WILL_DELAY_INTERVAL, -1));
                assertEquals("text/plain", wp.string(PropertyId.CONTENT_TYPE).orElseThrow());
                assertEquals(7, wp.size());
            });
        }

        @Test
        void twoSubscriptionIdentifiersInSubscribeAreAProtocolError() {
            assertRejected(V5, packet(0x82, "0001" + props("0b 01 0b 02") + s("a") + "00"), PROTOCOL, "3.8.2.1.2");
            Properties two = Properties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 1)
                    .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 2).build();
            assertRefused(() -> new Subscribe(1,
                    List.of(new Subscription("a", SubscriptionOptions.of(QoS.AT_MOST_ONCE))), two), PROTOCOL,
                    "3.8.2.1.2");
        }

        static Stream<Arguments> forbiddenValues() {
            return Stream.of(
                    Arguments.of("Receive Maximum 0 in CONNECT", null, connect5(0x02, props("21 0000"), "")),
                    Arguments.of("Receive Maximum 0 in CONNACK", V5, packet(0x20, "00 00" + props("21 0000"))),
                    Arguments.of("Maximum Packet Size 0 in CONNECT", null, connect5(0x02, props("27 00000000"), "")),
                    Arguments.of("Maximum Packet Size 0 in CONNACK", V5, packet(0x20, "00 00" + props("27 00000000"))),
                    Arguments.of("Subscription Identifier 0 in SUBSCRIBE", V5,
                            packet(0x82, "0001" + props("0b 00") + s("a") + "00")),
                    Arguments.of("Subscription Identifier 0 in PUBLISH", V5, packet(0x30, s("a") + props("0b 00"))),
                    Arguments.of("Payload Format Indicator 2", V5, packet(0x30, s("a") + props("01 02"))),
                    Arguments.of("Payload Format Indicator 255 in a will", null,
                            connect5(0x06, "00", props("01 ff") + s("w") + prefixed(""))),
                    Arguments.of("Request Problem Information 2", null, connect5(0x02, props("17 02"), "")),
                    Arguments.of("Maximum QoS 2 in CONNACK", V5, packet(0x20, "00 00" + props("24 02"))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("forbiddenValues")
        void forbiddenPropertyValueIsAProtocolError(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, PROTOCOL, "2.2.2.2");
        }

        @Test
        void buildersRefuseForbiddenValues() {
            assertRefused(() -> Properties.builder().add(PropertyId.RECEIVE_MAXIMUM, 0), PROTOCOL, "2.2.2.2");
            assertRefused(() -> Properties.builder().add(PropertyId.MAXIMUM_PACKET_SIZE, 0), PROTOCOL, "2.2.2.2");
            assertRefused(() -> Properties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 0), PROTOCOL, "2.2.2.2");
            assertRefused(() -> Properties.builder().add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 2), PROTOCOL,
                    "2.2.2.2");
            assertRefused(() -> Properties.builder().add(PropertyId.TOPIC_ALIAS, 0), ReasonCode.TOPIC_ALIAS_INVALID,
                    "MQTT-3.3.2-8");
        }

        @Test
        void topicAlias0IsTopicAliasInvalid() {
            assertRejected(V5, packet(0x30, s("a") + props("23 0000") + "6869"), ReasonCode.TOPIC_ALIAS_INVALID,
                    "MQTT-3.3.2-8");
            assertRejected(V5, packet(0x32, s("") + "0001" + props("23 0000")), ReasonCode.TOPIC_ALIAS_INVALID,
                    "MQTT-3.3.2-8");
        }

        static Stream<Arguments> lengthBeyondThePacket() {
            return Stream.of(
                    Arguments.of("PUBACK", V5, packet(0x40, "0001 00 05 1f")),
                    Arguments.of("PUBLISH", V5, packet(0x30, s("a") + "7f 01 01")),
                    Arguments.of("CONNECT", null, connect5(0x02, "0a", "")),
                    Arguments.of("a will", null, connect5(0x06, "00", "40" + s("w") + prefixed(""))),
                    Arguments.of("a value cut by the property length", V5, packet(0x40, "0001 00 02 1f 00 01 61")));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("lengthBeyondThePacket")
        void propertyLengthBeyondThePacketIsMalformed(String what, MqttVersion v, String hex) {
            assertRejected(v, hex, MALFORMED, "2.1.4");
        }
    }

    /** Connection-level rules the streaming decoder enforces. */
    @Nested
    class StreamRules {
        static Stream<String> notConnect() {
            return Stream.of("20 02 00 00", "30 03 0001 61", "40 02 0001", "62 02 0001", "82 06 0001 0001 61 00",
                    "c0 00", "e0 00", "f0 00");
        }

        @ParameterizedTest
        @MethodSource("notConnect")
        void firstPacketOnAServerDecoderMustBeConnect(String hex) {
            assertRejected(null, hex, PROTOCOL, "MQTT-3.1.0-1");
        }

        @Test
        void firstPacketIsCheckedFromItsFirstByteAlone() {
            MqttDecoder decoder = MqttDecoder.forServer(1024);
            ByteBuf in = direct("82");
            try {
                assertReason(assertThrows(MalformedPacketException.class, () -> decoder.decode(in, p -> fail())),
                        PROTOCOL, "MQTT-3.1.0-1");
                assertEquals(0, decoder.bufferedBytes());
            } finally {
                in.release();
                decoder.close();
            }
        }

        @Test
        void maximumPacketSizeIsEnforcedToTheByte() {
            String justFits = packet(0x30, s("a") + "00" + "00".repeat(10)); // 2 + 3 + 1 + 10 = 16 bytes
            String tooLarge = packet(0x30, s("a") + "00" + "00".repeat(11)); // 17 bytes
            assertEquals(16, bytes(justFits).length);
            List<MqttPacket> out = new ArrayList<>();
            MqttDecoder fits = MqttDecoder.forClient(V5, 16);
            MqttDecoder refuses = MqttDecoder.forClient(V5, 16);
            ByteBuf in16 = direct(justFits);
            ByteBuf in17 = direct(tooLarge);
            try {
                fits.decode(in16, out::add);
                assertEquals(1, out.size());
                assertReason(assertThrows(MalformedPacketException.class, () -> refuses.decode(in17, out::add)),
                        ReasonCode.PACKET_TOO_LARGE, "3.1.2.11.4");
                assertEquals(1, out.size());
            } finally {
                out.forEach(RejectionTest::releasePayload);
                in16.release();
                in17.release();
                fits.close();
                refuses.close();
            }
        }

        @Test
        void oversizedConnectIsRefusedOnAServerDecoderFromItsFixedHeader() {
            MqttDecoder decoder = MqttDecoder.forServer(20);
            ByteBuf in = direct("10 64"); // a CONNECT of 1 + 1 + 100 bytes; none of its body is sent
            try {
                assertReason(assertThrows(MalformedPacketException.class, () -> decoder.decode(in, p -> fail())),
                        ReasonCode.PACKET_TOO_LARGE, "3.1.2.11.4");
                assertEquals(0, decoder.bufferedBytes());
            } finally {
                in.release();
                decoder.close();
            }
        }

        @Test
        void maximumPacketSizeMustBeExpressible() {
            assertThrows(IllegalArgumentException.class, () -> MqttDecoder.forServer(1));
            assertThrows(IllegalArgumentException.class,
                    () -> MqttDecoder.forClient(V5, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE + 1));
            assertInstanceOf(MqttDecoder.class, MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE));
        }
    }
}
