package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.codec.MqttVersion.V3_1;
import static zzq.codec.MqttVersion.V3_1_1;
import static zzq.codec.MqttVersion.V5;
import static zzq.codec.PacketType.AUTH;
import static zzq.codec.PacketType.CONNACK;
import static zzq.codec.PacketType.DISCONNECT;
import static zzq.codec.PacketType.PUBACK;
import static zzq.codec.PacketType.PUBCOMP;
import static zzq.codec.PacketType.PUBREC;
import static zzq.codec.PacketType.PUBREL;
import static zzq.codec.PacketType.SUBACK;
import static zzq.codec.PacketType.UNSUBACK;
import static zzq.codec.property.PropertyId.ASSIGNED_CLIENT_IDENTIFIER;
import static zzq.codec.property.PropertyId.AUTHENTICATION_DATA;
import static zzq.codec.property.PropertyId.AUTHENTICATION_METHOD;
import static zzq.codec.property.PropertyId.CONTENT_TYPE;
import static zzq.codec.property.PropertyId.CORRELATION_DATA;
import static zzq.codec.property.PropertyId.MAXIMUM_PACKET_SIZE;
import static zzq.codec.property.PropertyId.MAXIMUM_QOS;
import static zzq.codec.property.PropertyId.MESSAGE_EXPIRY_INTERVAL;
import static zzq.codec.property.PropertyId.PAYLOAD_FORMAT_INDICATOR;
import static zzq.codec.property.PropertyId.REASON_STRING;
import static zzq.codec.property.PropertyId.RECEIVE_MAXIMUM;
import static zzq.codec.property.PropertyId.REQUEST_PROBLEM_INFORMATION;
import static zzq.codec.property.PropertyId.REQUEST_RESPONSE_INFORMATION;
import static zzq.codec.property.PropertyId.RESPONSE_INFORMATION;
import static zzq.codec.property.PropertyId.RESPONSE_TOPIC;
import static zzq.codec.property.PropertyId.RETAIN_AVAILABLE;
import static zzq.codec.property.PropertyId.SERVER_KEEP_ALIVE;
import static zzq.codec.property.PropertyId.SERVER_REFERENCE;
import static zzq.codec.property.PropertyId.SESSION_EXPIRY_INTERVAL;
import static zzq.codec.property.PropertyId.SHARED_SUBSCRIPTION_AVAILABLE;
import static zzq.codec.property.PropertyId.SUBSCRIPTION_IDENTIFIER;
import static zzq.codec.property.PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE;
import static zzq.codec.property.PropertyId.TOPIC_ALIAS;
import static zzq.codec.property.PropertyId.TOPIC_ALIAS_MAXIMUM;
import static zzq.codec.property.PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE;
import static zzq.codec.property.PropertyId.WILL_DELAY_INTERVAL;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
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
import zzq.codec.property.PropertyType;
import zzq.codec.property.UserProperty;
import zzq.codec.wire.VariableByteInteger;

/**
 * Every packet type, minimal and rich, in MQTT 3.1.1 and 5.0 (CONNECT also in 3.1) encodes, then decodes through
 * the streaming decoder fed in any split, to an equal packet; 3.1.1 writes 5.0-only content as MqttEncoder says.
 */
class RoundTripTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** Seeds the read splits; each case mixes in its name, and failure messages print the seed. */
    private static final long SEED = 0x2A_5EEDL;
    /** Streams up to this size are also fed one byte per read (every split point, header included). */
    private static final int BYTE_BY_BYTE_LIMIT = 4096;

    /** 2-, 3- and 4-byte UTF-8: é (U+00E9), € (U+20AC), 中 (U+4E2D), 😀 (U+1F600, a surrogate pair in Java). */
    static final String UNICODE = "caf\u00e9/\u20ac/\u4e2d/\ud83d\ude00";

    /**
     * Every reason code MQTT 5.0 allows in each packet, typed from the specification's tables (sections 3.2.2.2,
     * 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1), not from the codec.
     */
    static final Map<PacketType, int[]> SPEC_REASON_CODES = new EnumMap<>(PacketType.class);

    static {
        int[] pubackPubrec = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
        SPEC_REASON_CODES.put(CONNACK, new int[] {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
            0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F});
        SPEC_REASON_CODES.put(PUBACK, pubackPubrec);
        SPEC_REASON_CODES.put(PUBREC, pubackPubrec);
        SPEC_REASON_CODES.put(PUBREL, new int[] {0x00, 0x92});
        SPEC_REASON_CODES.put(PUBCOMP, new int[] {0x00, 0x92});
        SPEC_REASON_CODES.put(SUBACK, new int[] {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1,
            0xA2});
        SPEC_REASON_CODES.put(UNSUBACK, new int[] {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91});
        SPEC_REASON_CODES.put(DISCONNECT, new int[] {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C,
            0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0,
            0xA1, 0xA2});
        SPEC_REASON_CODES.put(AUTH, new int[] {0x00, 0x18, 0x19});
    }

    /** A named packet in one version; built afresh for each use, because a PUBLISH owns its payload buffer. */
    record Case(String name, MqttVersion version, Supplier<MqttPacket> packet) {
        @Override
        public String toString() {
            return version + " " + name;
        }
    }

    // =====================================================================================================
    // The catalogue
    // =====================================================================================================

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        all.addAll(v3Cases(V3_1_1));
        all.addAll(v5Cases());
        all.addAll(connectCases(V3_1));
        return all.stream();
    }

    static Stream<Case> publishCases() {
        return cases().filter(c -> c.name().startsWith("PUBLISH"));
    }

    /** CONNECTs a 3.x version can carry: no properties, a password only with a user name. */
    static List<Case> connectCases(MqttVersion v) {
        List<Case> c = new ArrayList<>();
        c.add(new Case("CONNECT minimal", v, () -> new Connect(v, "c1", true, 0, null, null, null, Properties.EMPTY)));
        c.add(new Case("CONNECT empty client id, keep alive 65535", v,
                () -> new Connect(v, "", true, 65_535, null, null, null, Properties.EMPTY)));
        c.add(new Case("CONNECT user name only", v,
                () -> new Connect(v, "c2", false, 60, "alice", null, null, Properties.EMPTY)));
        c.add(new Case("CONNECT user name and binary password", v, () -> new Connect(v, "c3", false, 1, "alice",
                BinaryData.of(new byte[] {0, 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF}), null, Properties.EMPTY)));
        c.add(new Case("CONNECT empty user name and empty password", v,
                () -> new Connect(v, "c4", true, 10, "", BinaryData.EMPTY, null, Properties.EMPTY)));
        for (QoS qos : QoS.values()) {
            for (boolean retain : new boolean[] {false, true}) {
                c.add(new Case("CONNECT will qos" + qos.value() + (retain ? " retain" : ""), v,
                        () -> new Connect(v, "w", true, 30, null, null,
                                new Will("last/will", bytes("gone"), qos, retain, Properties.EMPTY),
                                Properties.EMPTY)));
            }
        }
        c.add(new Case("CONNECT unicode ids, will with empty payload", v, () -> new Connect(v, UNICODE, false, 300,
                "\u00fcser-\u20ac", bytes("p\u00e4ss"),
                new Will(UNICODE, BinaryData.EMPTY, QoS.EXACTLY_ONCE, true, Properties.EMPTY), Properties.EMPTY)));
        c.add(new Case("CONNECT will with a 65535-byte payload", v, () -> new Connect(v, "big", true, 0, "u",
                bytes("p"), new Will("w/t", BinaryData.of(pattern(65_535)), QoS.AT_LEAST_ONCE, false,
                        Properties.EMPTY), Properties.EMPTY)));
        return c;
    }

    static List<Case> v3Cases(MqttVersion v) {
        List<Case> c = new ArrayList<>(connectCases(v));

        c.add(new Case("CONNACK accepted", v, () -> new Connack(false)));
        c.add(new Case("CONNACK accepted, session present", v, () -> new Connack(true)));
        for (int code = 1; code <= 5; code++) {
            ReasonCode reason = ReasonCode.fromV3ConnackCode(code);
            c.add(new Case("CONNACK return code " + code, v, () -> new Connack(false, reason, Properties.EMPTY)));
        }

        c.add(new Case("PUBLISH qos0 minimal", v, () -> Publish.atMostOnce("a", utf8("hi"))));
        c.add(new Case("PUBLISH qos0 empty payload", v, () -> Publish.atMostOnce("a/b", ALLOC.buffer(0))));
        c.add(new Case("PUBLISH qos1 pid 1 retain", v, () -> new Publish("a/b", QoS.AT_LEAST_ONCE, true, false, 1,
                Properties.EMPTY, utf8("one"))));
        c.add(new Case("PUBLISH qos2 pid 65535 dup retain", v, () -> new Publish("a/b/c", QoS.EXACTLY_ONCE, true,
                true, 65_535, Properties.EMPTY, utf8("two"))));
        c.add(new Case("PUBLISH qos1 dup", v, () -> new Publish("x", QoS.AT_LEAST_ONCE, false, true, 77,
                Properties.EMPTY, utf8("again"))));
        c.add(new Case("PUBLISH unicode topic and payload", v, () -> new Publish(UNICODE, QoS.AT_LEAST_ONCE, false,
                false, 300, Properties.EMPTY, utf8(UNICODE))));
        c.add(new Case("PUBLISH every byte value", v, () -> Publish.atMostOnce("bytes", allBytes())));
        c.add(new Case("PUBLISH 70000-byte payload", v, () -> new Publish("big", QoS.EXACTLY_ONCE, false, false,
                9, Properties.EMPTY, payload(70_000))));
        c.add(new Case("PUBLISH 65535-byte topic", v, () -> Publish.atMostOnce("t".repeat(65_535), utf8("x"))));

        for (Supplier<MqttPacket> ack : acks(1, ReasonCode.SUCCESS, Properties.EMPTY)) {
            c.add(new Case(ack.get().type() + " pid 1", v, ack));
        }
        for (Supplier<MqttPacket> ack : acks(65_535, ReasonCode.SUCCESS, Properties.EMPTY)) {
            c.add(new Case(ack.get().type() + " pid 65535", v, ack));
        }

        c.add(new Case("SUBSCRIBE one filter", v, () -> new Subscribe(1,
                List.of(new Subscription("a/#", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY)));
        c.add(new Case("SUBSCRIBE every QoS, wildcards, shared, unicode", v, () -> new Subscribe(65_535, List.of(
                new Subscription("#", SubscriptionOptions.of(QoS.AT_MOST_ONCE)),
                new Subscription("+/x/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                new Subscription("$share/g/a/#", SubscriptionOptions.of(QoS.EXACTLY_ONCE)),
                new Subscription(UNICODE + "/#", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY)));
        c.add(new Case("SUBACK every return code", v, () -> new Suback(2, List.of(ReasonCode.GRANTED_QOS_0,
                ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY)));
        c.add(new Case("SUBACK one code", v,
                () -> new Suback(65_535, List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY)));
        c.add(new Case("UNSUBSCRIBE one filter", v, () -> new Unsubscribe(3, List.of("a"), Properties.EMPTY)));
        c.add(new Case("UNSUBSCRIBE several filters", v, () -> new Unsubscribe(65_535,
                List.of("a/+", "#", "$share/g/b", UNICODE), Properties.EMPTY)));
        c.add(new Case("UNSUBACK pid 1", v, () -> new Unsuback(1)));
        c.add(new Case("UNSUBACK pid 65535", v, () -> new Unsuback(65_535)));
        c.add(new Case("PINGREQ", v, () -> Pingreq.INSTANCE));
        c.add(new Case("PINGRESP", v, () -> Pingresp.INSTANCE));
        c.add(new Case("DISCONNECT", v, () -> Disconnect.NORMAL));
        return c;
    }

    static List<Case> v5Cases() {
        MqttVersion v = V5;
        List<Case> c = new ArrayList<>();

        // CONNECT
        c.add(new Case("CONNECT minimal", v, () -> new Connect(v, "c1", true, 0, null, null, null, Properties.EMPTY)));
        c.add(new Case("CONNECT empty client id, keep alive 65535", v,
                () -> new Connect(v, "", true, 65_535, null, null, null, Properties.EMPTY)));
        c.add(new Case("CONNECT every property, will with every will property, user and password", v,
                () -> new Connect(v, UNICODE, false, 60, "\u00fcser", bytes("secret"),
                        new Will("will/" + UNICODE, BinaryData.of(pattern(300)), QoS.EXACTLY_ONCE, true,
                                willProperties()), connectProperties())));
        c.add(new Case("CONNECT password without user name", v,
                () -> new Connect(v, "c2", true, 30, null, bytes("token"), null, Properties.EMPTY)));
        c.add(new Case("CONNECT will without properties, empty payload", v, () -> new Connect(v, "c3", true, 30,
                null, null, new Will("w", BinaryData.EMPTY, QoS.AT_MOST_ONCE, false, Properties.EMPTY),
                Properties.EMPTY)));
        c.add(new Case("CONNECT will with properties, CONNECT without", v, () -> new Connect(v, "c4", true, 30,
                "u", null, new Will("w", bytes("x"), QoS.AT_LEAST_ONCE, false, willProperties()), Properties.EMPTY)));

        // CONNACK
        c.add(new Case("CONNACK success minimal", v, () -> new Connack(false)));
        c.add(new Case("CONNACK session present", v, () -> new Connack(true)));
        c.add(new Case("CONNACK every property", v,
                () -> new Connack(true, ReasonCode.SUCCESS, connackProperties())));
        for (ReasonCode code : specCodes(CONNACK)) {
            c.add(new Case("CONNACK 0x" + hex(code) + " " + code, v, () -> new Connack(false, code,
                    Properties.builder().add(REASON_STRING, "because " + code).build())));
        }

        // PUBLISH
        c.add(new Case("PUBLISH qos0 minimal", v, () -> Publish.atMostOnce("a", utf8("hi"))));
        c.add(new Case("PUBLISH qos0 empty payload", v, () -> Publish.atMostOnce("a/b", ALLOC.buffer(0))));
        c.add(new Case("PUBLISH qos2 every property, repeated subscription identifiers", v,
                () -> new Publish(UNICODE, QoS.EXACTLY_ONCE, true, true, 65_535, publishProperties(),
                        utf8("{\"t\":" + UNICODE.length() + "}"))));
        c.add(new Case("PUBLISH topic alias with empty topic", v, () -> new Publish("", QoS.AT_LEAST_ONCE, false,
                false, 1, Properties.builder().add(TOPIC_ALIAS, 65_535).build(), utf8("aliased"))));
        c.add(new Case("PUBLISH topic alias with topic", v, () -> new Publish("a/b", QoS.AT_MOST_ONCE, false,
                false, 0, Properties.builder().add(TOPIC_ALIAS, 1).build(), utf8("set alias"))));
        c.add(new Case("PUBLISH unicode topic and payload", v, () -> new Publish(UNICODE, QoS.AT_LEAST_ONCE, false,
                false, 300, Properties.EMPTY, utf8(UNICODE))));
        c.add(new Case("PUBLISH every byte value", v, () -> Publish.atMostOnce("bytes", allBytes())));
        c.add(new Case("PUBLISH 70000-byte payload with properties", v, () -> new Publish("big", QoS.AT_LEAST_ONCE,
                false, false, 9, Properties.builder().add(CONTENT_TYPE, "application/octet-stream")
                .add(SUBSCRIPTION_IDENTIFIER, 5).build(), payload(70_000))));
        c.add(new Case("PUBLISH 65535-byte topic", v, () -> Publish.atMostOnce("t".repeat(65_535), utf8("x"))));

        // PUBACK, PUBREC, PUBREL, PUBCOMP
        for (PacketType type : List.of(PUBACK, PUBREC, PUBREL, PUBCOMP)) {
            c.add(new Case(type + " minimal", v, ack(type, 1, ReasonCode.SUCCESS, Properties.EMPTY)));
            c.add(new Case(type + " success with properties", v,
                    ack(type, 65_535, ReasonCode.SUCCESS, reasonProperties("fine"))));
            for (ReasonCode code : specCodes(type)) {
                c.add(new Case(type + " 0x" + hex(code) + " " + code, v,
                        ack(type, 7, code, Properties.EMPTY)));
                c.add(new Case(type + " 0x" + hex(code) + " " + code + " with properties", v,
                        ack(type, 8, code, reasonProperties("why " + code))));
            }
        }

        // SUBSCRIBE
        c.add(new Case("SUBSCRIBE minimal", v, () -> new Subscribe(1,
                List.of(new Subscription("a", SubscriptionOptions.of(QoS.AT_MOST_ONCE))), Properties.EMPTY)));
        c.add(new Case("SUBSCRIBE every option combination, identifier, user properties", v,
                () -> new Subscribe(65_535, everyOptionCombination(), Properties.builder()
                        .add(SUBSCRIPTION_IDENTIFIER, VariableByteInteger.MAX_VALUE)
                        .userProperty("a", "1").userProperty("b", "2").userProperty("a", "3").build())));
        c.add(new Case("SUBSCRIBE shared with retain as published, unicode", v, () -> new Subscribe(2, List.of(
                new Subscription("$share/group/" + UNICODE + "/#",
                        new SubscriptionOptions(QoS.EXACTLY_ONCE, false, true, RetainHandling.DO_NOT_SEND)),
                new Subscription("+", new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, false,
                        RetainHandling.SEND_IF_NEW_SUBSCRIPTION))),
                Properties.builder().add(SUBSCRIPTION_IDENTIFIER, 1).build())));

        // SUBACK
        c.add(new Case("SUBACK minimal", v, () -> new Suback(1, List.of(ReasonCode.GRANTED_QOS_0),
                Properties.EMPTY)));
        c.add(new Case("SUBACK every reason code with properties", v, () -> new Suback(65_535, specCodes(SUBACK),
                reasonProperties("mixed"))));

        // UNSUBSCRIBE
        c.add(new Case("UNSUBSCRIBE minimal", v, () -> new Unsubscribe(1, List.of("a"), Properties.EMPTY)));
        c.add(new Case("UNSUBSCRIBE several filters, user properties", v, () -> new Unsubscribe(65_535,
                List.of("a/+", "#", "$share/g/b", UNICODE),
                Properties.builder().userProperty("k", "v").userProperty("k", "w").build())));

        // UNSUBACK
        c.add(new Case("UNSUBACK minimal", v, () -> new Unsuback(1, List.of(ReasonCode.SUCCESS),
                Properties.EMPTY)));
        c.add(new Case("UNSUBACK every reason code with properties", v, () -> new Unsuback(65_535,
                specCodes(UNSUBACK), reasonProperties("done"))));

        // PINGREQ, PINGRESP
        c.add(new Case("PINGREQ", v, () -> Pingreq.INSTANCE));
        c.add(new Case("PINGRESP", v, () -> Pingresp.INSTANCE));

        // DISCONNECT
        c.add(new Case("DISCONNECT minimal", v, () -> Disconnect.NORMAL));
        c.add(new Case("DISCONNECT normal with every property", v,
                () -> new Disconnect(ReasonCode.NORMAL_DISCONNECTION, disconnectProperties())));
        for (ReasonCode code : specCodes(DISCONNECT)) {
            c.add(new Case("DISCONNECT 0x" + hex(code) + " " + code, v, () -> new Disconnect(code)));
            c.add(new Case("DISCONNECT 0x" + hex(code) + " " + code + " with properties", v,
                    () -> new Disconnect(code, disconnectProperties())));
        }

        // AUTH
        c.add(new Case("AUTH minimal", v, () -> new Auth(ReasonCode.SUCCESS, Properties.EMPTY)));
        for (ReasonCode code : specCodes(AUTH)) {
            c.add(new Case("AUTH 0x" + hex(code) + " " + code + " with every property", v,
                    () -> new Auth(code, authProperties())));
        }
        return c;
    }

    private static List<Supplier<MqttPacket>> acks(int packetId, ReasonCode code, Properties properties) {
        return List.of(ack(PUBACK, packetId, code, properties), ack(PUBREC, packetId, code, properties),
                ack(PUBREL, packetId, code, properties), ack(PUBCOMP, packetId, code, properties));
    }

    private static Supplier<MqttPacket> ack(PacketType type, int packetId, ReasonCode code, Properties properties) {
        return switch (type) {
            case PUBACK -> () -> new Puback(packetId, code, properties);
            case PUBREC -> () -> new Pubrec(packetId, code, properties);
            case PUBREL -> () -> new Pubrel(packetId, code, properties);
            case PUBCOMP -> () -> new Pubcomp(packetId, code, properties);
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    /** The 36 combinations of QoS, No Local, Retain As Published and Retain Handling, each on its own filter. */
    static List<Subscription> everyOptionCombination() {
        List<Subscription> subs = new ArrayList<>();
        for (SubscriptionOptions o : allOptions()) {
            subs.add(new Subscription("opt/" + o.qos().value() + "/" + o.noLocal() + "/" + o.retainAsPublished()
                    + "/" + o.retainHandling().value(), o));
        }
        return subs;
    }

    static List<SubscriptionOptions> allOptions() {
        List<SubscriptionOptions> all = new ArrayList<>();
        for (QoS qos : QoS.values()) {
            for (boolean noLocal : new boolean[] {false, true}) {
                for (boolean rap : new boolean[] {false, true}) {
                    for (RetainHandling rh : RetainHandling.values()) {
                        all.add(new SubscriptionOptions(qos, noLocal, rap, rh));
                    }
                }
            }
        }
        return all;
    }

    private static Properties connectProperties() {
        return Properties.builder()
                .add(SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .userProperty("region", "eu")
                .add(RECEIVE_MAXIMUM, 65_535)
                .add(MAXIMUM_PACKET_SIZE, 268_435_460L)
                .add(TOPIC_ALIAS_MAXIMUM, 0)
                .add(REQUEST_RESPONSE_INFORMATION, 1)
                .add(REQUEST_PROBLEM_INFORMATION, 0)
                .add(AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .add(AUTHENTICATION_DATA, BinaryData.of(new byte[] {0, (byte) 0xFF, 0x10}))
                .userProperty("region", "us")
                .userProperty("", "")
                .userProperty(UNICODE, UNICODE)
                .build();
    }

    private static Properties willProperties() {
        return Properties.builder()
                .add(WILL_DELAY_INTERVAL, 0xFFFF_FFFFL)
                .add(PAYLOAD_FORMAT_INDICATOR, 1)
                .add(MESSAGE_EXPIRY_INTERVAL, 3600)
                .add(CONTENT_TYPE, "text/plain; charset=utf-8")
                .add(RESPONSE_TOPIC, "reply/" + UNICODE)
                .add(CORRELATION_DATA, BinaryData.of(pattern(16)))
                .userProperty("w", "1")
                .userProperty("w", "2")
                .build();
    }

    private static Properties connackProperties() {
        return Properties.builder()
                .add(SESSION_EXPIRY_INTERVAL, 0)
                .add(RECEIVE_MAXIMUM, 1)
                .add(MAXIMUM_QOS, 1)
                .add(RETAIN_AVAILABLE, 0)
                .add(MAXIMUM_PACKET_SIZE, 1024)
                .add(ASSIGNED_CLIENT_IDENTIFIER, "auto-" + UNICODE)
                .add(TOPIC_ALIAS_MAXIMUM, 65_535)
                .add(REASON_STRING, "welcome")
                .userProperty("z", "last?")
                .add(WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
                .add(SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)
                .add(SHARED_SUBSCRIPTION_AVAILABLE, 1)
                .add(SERVER_KEEP_ALIVE, 120)
                .add(RESPONSE_INFORMATION, "resp/")
                .add(SERVER_REFERENCE, "other.example:1883")
                .add(AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .add(AUTHENTICATION_DATA, BinaryData.of(pattern(32)))
                .userProperty("a", "first?")
                .build();
    }

    private static Properties publishProperties() {
        return Properties.builder()
                .add(SUBSCRIPTION_IDENTIFIER, 1)
                .add(PAYLOAD_FORMAT_INDICATOR, 1)
                .add(SUBSCRIPTION_IDENTIFIER, 127)
                .add(MESSAGE_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .add(TOPIC_ALIAS, 65_535)
                .userProperty("k", "1")
                .add(SUBSCRIPTION_IDENTIFIER, 128)
                .add(RESPONSE_TOPIC, "reply/" + UNICODE)
                .add(SUBSCRIPTION_IDENTIFIER, 16_383)
                .add(CORRELATION_DATA, BinaryData.of(new byte[] {0, 1, 2}))
                .userProperty("k", "2")
                .add(SUBSCRIPTION_IDENTIFIER, 16_384)
                .add(CONTENT_TYPE, "application/json")
                .add(SUBSCRIPTION_IDENTIFIER, 2_097_151)
                .add(SUBSCRIPTION_IDENTIFIER, 2_097_152)
                .add(SUBSCRIPTION_IDENTIFIER, VariableByteInteger.MAX_VALUE)
                .userProperty("j", "3")
                .build();
    }

    private static Properties disconnectProperties() {
        return Properties.builder()
                .add(SESSION_EXPIRY_INTERVAL, 0)
                .add(REASON_STRING, "bye " + UNICODE)
                .add(SERVER_REFERENCE, "elsewhere")
                .userProperty("x", "1")
                .userProperty("x", "2")
                .build();
    }

    private static Properties authProperties() {
        return Properties.builder()
                .add(AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .add(AUTHENTICATION_DATA, BinaryData.of(pattern(64)))
                .add(REASON_STRING, "step")
                .userProperty("n", "1")
                .userProperty("n", "0")
                .build();
    }

    private static Properties reasonProperties(String reason) {
        return Properties.builder().add(REASON_STRING, reason).userProperty("b", "2").userProperty("a", "1").build();
    }

    /** The codes the specification's table lists for {@code type}, looked up in the codec by value. */
    static List<ReasonCode> specCodes(PacketType type) {
        List<ReasonCode> codes = new ArrayList<>();
        for (int value : SPEC_REASON_CODES.get(type)) {
            ReasonCode code = ReasonCode.of(type, value);
            assertNotNull(code, "the codec has no " + type + " reason code 0x" + Integer.toHexString(value));
            codes.add(code);
        }
        return codes;
    }

    private static String hex(ReasonCode code) {
        return String.format("%02X", code.value());
    }

    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    private static BinaryData bytes(String s) {
        return BinaryData.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuf utf8(String s) {
        return ALLOC.buffer().writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static ByteBuf payload(int size) {
        return ALLOC.buffer(size).writeBytes(pattern(size));
    }

    private static ByteBuf allBytes() {
        ByteBuf b = ALLOC.buffer(256);
        for (int i = 0; i < 256; i++) {
            b.writeByte(i);
        }
        return b;
    }

    // =====================================================================================================
    // Round trips
    // =====================================================================================================

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesAndDecodesBackToAnEqualPacket(Case c) {
        MqttPacket packet = c.packet().get();
        try {
            assertRoundTrip(packet, c.version(), c.toString());
        } finally {
            release(packet);
        }
    }

    /** How the bytes reach the decoder. */
    enum Feed {
        /** The packet in one read. */
        WHOLE,
        /** Between two other packets, all in one read. */
        AMONG_OTHERS,
        /** One byte per read: every split point, inside the fixed header too. */
        BYTE_BY_BYTE,
        /** Reads of seeded random sizes, some tiny and some large. */
        RANDOM_CHUNKS
    }

    /**
     * Encodes {@code packet}, checks the length and the header, then decodes it with a server decoder (after a
     * CONNECT of the version, unless it is one) and a client decoder, each fed every {@link Feed} way.
     */
    static void assertRoundTrip(MqttPacket packet, MqttVersion version, String what) {
        int payloadReaderIndex = packet instanceof Publish p ? p.payload().readerIndex() : -1;
        ByteBuf encoded = MqttEncoder.encode(packet, version, ALLOC);
        try {
            int size = encoded.readableBytes();
            assertEquals(MqttEncoder.encodedLength(packet, version), size, what + ": encodedLength");
            assertEquals(PacketType.of(encoded.getUnsignedByte(0) >>> 4), packet.type(), what + ": type nibble");
            long vbi = VariableByteInteger.peek(encoded, 1, encoded.writerIndex(), "remaining length");
            assertEquals(size, 1 + (int) (vbi >>> 32) + (int) vbi, what + ": remaining length covers the rest");
            if (packet instanceof Publish p) {
                assertEquals(payloadReaderIndex, p.payload().readerIndex(), what + ": encoding moved the payload");
            }
            assertAppendedEncodingIsTheSame(packet, version, encoded, what);

            boolean connect = packet instanceof Connect;
            for (Feed feed : Feed.values()) {
                decodeAndCompare(packet, version, encoded, true, feed, what);
                if (!connect) {
                    decodeAndCompare(packet, version, encoded, false, feed, what);
                }
            }
        } finally {
            encoded.release();
        }
    }

    /** {@code encode(packet, version, out)} appends exactly the bytes of the one-buffer encoding. */
    private static void assertAppendedEncodingIsTheSame(MqttPacket packet, MqttVersion v, ByteBuf one, String what) {
        ByteBuf batch = ALLOC.buffer(16);
        try {
            batch.writeByte(0xEE);
            MqttEncoder.encode(packet, v, batch);
            MqttEncoder.encode(Pingresp.INSTANCE, v, batch);
            assertEquals(1 + one.readableBytes() + 2, batch.readableBytes(), what + ": appended length");
            assertArrayEquals(ByteBufUtil.getBytes(one), ByteBufUtil.getBytes(batch, 1, one.readableBytes()),
                    what + ": appended bytes");
        } finally {
            batch.release();
        }
    }

    private static void decodeAndCompare(MqttPacket packet, MqttVersion version, ByteBuf encoded, boolean server,
                                         Feed feed, String what) {
        long seed = SEED ^ what.hashCode() ^ feed.ordinal() ^ (server ? 0x100 : 0);
        String where = what + " [" + (server ? "server" : "client") + " decoder, " + feed + ", seed " + seed + "]";
        MqttPacket filler = server ? Pingreq.INSTANCE : Pingresp.INSTANCE;

        List<MqttPacket> expected = new ArrayList<>();
        ByteBuf stream = ALLOC.buffer(encoded.readableBytes() + 64);
        List<MqttPacket> decoded = new ArrayList<>();
        MqttDecoder decoder = server ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)
                : MqttDecoder.forClient(version, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
        try {
            if (server && !(packet instanceof Connect)) {
                Connect hello = new Connect(version, "rt", true, 0, null, null, null, Properties.EMPTY);
                MqttEncoder.encode(hello, version, stream);
                expected.add(hello);
            }
            if (feed == Feed.AMONG_OTHERS && !(packet instanceof Connect)) { // CONNECT must come first
                MqttEncoder.encode(filler, version, stream);
                expected.add(filler);
            }
            stream.writeBytes(encoded, encoded.readerIndex(), encoded.readableBytes());
            expected.add(packet);
            if (feed == Feed.AMONG_OTHERS) {
                MqttEncoder.encode(filler, version, stream);
                expected.add(filler);
            }

            switch (feed) {
                case WHOLE, AMONG_OTHERS -> read(decoder, stream, stream.readableBytes(), decoded);
                case BYTE_BY_BYTE -> {
                    if (stream.readableBytes() > BYTE_BY_BYTE_LIMIT) {
                        return;
                    }
                    while (stream.isReadable()) {
                        read(decoder, stream, 1, decoded);
                    }
                }
                case RANDOM_CHUNKS -> {
                    Random random = new Random(seed);
                    int large = Math.max(2, stream.readableBytes() / 3);
                    while (stream.isReadable()) {
                        int n = random.nextBoolean() ? 1 + random.nextInt(7) : 1 + random.nextInt(large);
                        read(decoder, stream, Math.min(n, stream.readableBytes()), decoded);
                    }
                }
            }
            assertEquals(0, decoder.bufferedBytes(), where + ": nothing held back at the end");
            assertEquals(version, decoder.version(), where + ": decoder version");
            assertPacketsEqual(expected, decoded, where);
        } finally {
            decoder.close();
            stream.release();
            decoded.forEach(RoundTripTest::release);
        }
    }

    /**
     * Packet equality, with PUBLISH payloads compared as one bulk copy each: record equality compares them with
     * ByteBuf.equals, which under the PARANOID leak detector records a stack trace per 8 bytes read, and turns a
     * megabyte payload into seconds. Every other field is still compared by the record's equals.
     */
    static void assertPacketsEqual(List<MqttPacket> expected, List<MqttPacket> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": decoded " + actual);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) instanceof Publish e && actual.get(i) instanceof Publish a) {
                assertEquals(withoutPayload(e), withoutPayload(a), where);
                assertArrayEquals(ByteBufUtil.getBytes(e.payload()), ByteBufUtil.getBytes(a.payload()),
                        where + ": payload");
            } else {
                assertEquals(expected.get(i), actual.get(i), where);
            }
        }
    }

    private static Publish withoutPayload(Publish p) {
        return new Publish(p.topic(), p.qos(), p.retain(), p.dup(), p.packetId(), p.properties(),
                Unpooled.EMPTY_BUFFER);
    }

    /** One read: {@code n} bytes of the stream copied into their own buffer, released after decoding. */
    private static void read(MqttDecoder decoder, ByteBuf stream, int n, List<MqttPacket> out) {
        ByteBuf chunk = ALLOC.buffer(n);
        try {
            chunk.writeBytes(stream, n);
            decoder.decode(chunk, out::add);
            assertFalse(chunk.isReadable(), "the decoder reads every byte it is given");
        } finally {
            chunk.release();
        }
    }

    static void release(MqttPacket packet) {
        if (packet instanceof Publish publish) {
            publish.payload().release();
        }
    }

    // =====================================================================================================
    // Boundaries and byte layouts
    // =====================================================================================================

    static Stream<Arguments> vbiBoundaries() {
        List<Arguments> args = new ArrayList<>();
        Object[][] boundaries = {
            {127, "7f"}, {128, "80 01"}, {16_383, "ff 7f"}, {16_384, "80 80 01"},
            {2_097_151, "ff ff 7f"}, {2_097_152, "80 80 80 01"}};
        for (MqttVersion v : List.of(V3_1_1, V5)) {
            for (Object[] b : boundaries) {
                args.add(Arguments.of(v, b[0], b[1]));
            }
        }
        return args.stream();
    }

    /** A PUBLISH whose remaining length sits on each side of each VBI size step has the expected header. */
    @ParameterizedTest(name = "{0} remaining length {1}")
    @MethodSource("vbiBoundaries")
    void remainingLengthAtVariableByteIntegerBoundaries(MqttVersion v, int remaining, String vbiHex) {
        int header = 2 + 1 + (v.isV5() ? 1 : 0); // topic "t", and an empty property length in 5.0
        Publish publish = Publish.atMostOnce("t", payload(remaining - header));
        try {
            byte[] vbi = HEX.parseHex(vbiHex);
            assertEquals(1 + vbi.length + remaining, MqttEncoder.encodedLength(publish, v));
            ByteBuf encoded = MqttEncoder.encode(publish, v, ALLOC);
            try {
                assertEquals("30 " + vbiHex + " 00 01 74" + (v.isV5() ? " 00" : ""),
                        HEX.formatHex(ByteBufUtil.getBytes(encoded, 0, 1 + vbi.length + 3 + (v.isV5() ? 1 : 0))));
            } finally {
                encoded.release();
            }
            assertRoundTrip(publish, v, v + " PUBLISH remaining length " + remaining);
        } finally {
            release(publish);
        }
    }

    /** A property length on each side of the VBI size steps: a PUBACK whose reason string fills it exactly. */
    @ParameterizedTest(name = "property length {0}")
    @MethodSource("propertyLengths")
    void propertyLengthAtVariableByteIntegerBoundaries(int length, String vbiHex) {
        String reason = "r".repeat(length - 3); // identifier byte and two-byte string length
        Puback ack = new Puback(1, ReasonCode.UNSPECIFIED_ERROR,
                Properties.builder().add(REASON_STRING, reason).build());
        ByteBuf encoded = MqttEncoder.encode(ack, V5, ALLOC);
        try {
            byte[] vbi = HEX.parseHex(vbiHex);
            int remaining = 2 + 1 + vbi.length + length;
            int at = 1 + VariableByteInteger.size(remaining) + 3;
            assertEquals(vbiHex + " 1f", HEX.formatHex(ByteBufUtil.getBytes(encoded, at, vbi.length + 1)));
        } finally {
            encoded.release();
        }
        assertRoundTrip(ack, V5, "PUBACK property length " + length);
    }

    static Stream<Arguments> propertyLengths() {
        return Stream.of(Arguments.of(127, "7f"), Arguments.of(128, "80 01"), Arguments.of(16_383, "ff 7f"),
                Arguments.of(16_384, "80 80 01"));
    }

    /** Strings are written as UTF-8 with their byte length, not their char count: é, €, 😀 take 2, 3 and 4 bytes. */
    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void unicodeTopicIsWrittenAsUtf8(MqttVersion v) {
        Publish publish = Publish.atMostOnce("\u00e9/\u20ac/\ud83d\ude00", ALLOC.buffer(0));
        try {
            ByteBuf encoded = MqttEncoder.encode(publish, v, ALLOC);
            try {
                assertEquals(v.isV5() ? "30 0e 00 0b c3 a9 2f e2 82 ac 2f f0 9f 98 80 00"
                                : "30 0d 00 0b c3 a9 2f e2 82 ac 2f f0 9f 98 80",
                        HEX.formatHex(ByteBufUtil.getBytes(encoded)));
            } finally {
                encoded.release();
            }
        } finally {
            release(publish);
        }
    }

    /** Each subscription option combination sits in its byte as 5.0 lays it out (section 3.8.3.1). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allOptions")
    void subscriptionOptionsByte(SubscriptionOptions options) {
        int expected = options.qos().value() | (options.noLocal() ? 0b100 : 0)
                | (options.retainAsPublished() ? 0b1000 : 0) | options.retainHandling().ordinal() << 4;
        Subscribe subscribe = new Subscribe(1, List.of(new Subscription("f", options)), Properties.EMPTY);
        ByteBuf encoded = MqttEncoder.encode(subscribe, V5, ALLOC);
        try {
            assertEquals(String.format("82 07 00 01 00 00 01 66 %02x", expected),
                    HEX.formatHex(ByteBufUtil.getBytes(encoded)));
        } finally {
            encoded.release();
        }
        assertRoundTrip(subscribe, V5, "SUBSCRIBE " + options);
    }

    /** A 5.0 UNSUBACK carries one reason code per filter, so the encoder refuses one with none. */
    @Test
    void refusesToWriteA5UnsubackWithoutReasonCodes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MqttEncoder.encode(new Unsuback(4), MqttVersion.V5, ALLOC));
        assertTrue(e.getMessage().contains("one reason code per topic filter"), e.getMessage());
    }

    /** User properties keep their order, repeated names included, through encode and decode (MQTT-3.3.2-18). */
    @Test
    void userPropertiesKeepTheirOrder() {
        Properties props = Properties.builder().userProperty("b", "1").userProperty("a", "2")
                .add(CONTENT_TYPE, "x").userProperty("b", "3").userProperty("", "").build();
        Publish publish = new Publish("t", QoS.AT_MOST_ONCE, false, false, 0, props, utf8("p"));
        ByteBuf encoded = MqttEncoder.encode(publish, V5, ALLOC);
        MqttPacket decoded = null;
        try {
            decoded = MqttDecoder.decodeOne(encoded, V5);
            assertEquals(List.of(new UserProperty("b", "1"), new UserProperty("a", "2"), new UserProperty("b", "3"),
                    new UserProperty("", "")), ((Publish) decoded).properties().userProperties());
            assertEquals(List.of(PropertyId.USER_PROPERTY, PropertyId.USER_PROPERTY, CONTENT_TYPE,
                            PropertyId.USER_PROPERTY, PropertyId.USER_PROPERTY),
                    IntStream.range(0, 5).mapToObj(((Publish) decoded).properties()::idAt).toList());
        } finally {
            release(decoded);
            release(publish);
            encoded.release();
        }
    }

    /** A PUBLISH's repeated Subscription Identifiers come back all, in order (MQTT 5.0 section 3.3.4). */
    @Test
    void repeatedSubscriptionIdentifiersComeBackInOrder() {
        Publish publish = new Publish("t", QoS.AT_LEAST_ONCE, false, false, 1, publishProperties(), utf8("p"));
        ByteBuf encoded = MqttEncoder.encode(publish, V5, ALLOC);
        MqttPacket decoded = null;
        try {
            decoded = MqttDecoder.decodeOne(encoded, V5);
            assertEquals(List.of(1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, VariableByteInteger.MAX_VALUE),
                    ((Publish) decoded).properties().subscriptionIdentifiers());
        } finally {
            release(decoded);
            release(publish);
            encoded.release();
        }
    }

    /** The header plus the payload as a separate buffer is byte for byte the one-buffer encoding. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("publishCases")
    void publishHeaderThenPayloadEqualsTheWholePacket(Case c) {
        Publish publish = (Publish) c.packet().get();
        ByteBuf whole = MqttEncoder.encode(publish, c.version(), ALLOC);
        ByteBuf gathered = ALLOC.buffer(16);
        try {
            gathered.writeByte(0xEE); // appends after what is already there, and counts only its own bytes
            int headerBytes = MqttEncoder.encodePublishHeader(publish, c.version(), gathered);
            assertEquals(1 + headerBytes, gathered.readableBytes(), c + ": returned header length");
            assertEquals(whole.readableBytes() - publish.payload().readableBytes(), headerBytes, c + ": header size");
            gathered.writeBytes(publish.payload(), publish.payload().readerIndex(), publish.payload().readableBytes());
            assertArrayEquals(ByteBufUtil.getBytes(whole), ByteBufUtil.getBytes(gathered, 1, whole.readableBytes()),
                    c + ": header + payload differs from the whole packet");
            assertEquals(1 + whole.readableBytes(), gathered.readableBytes(), c + ": nothing more");
        } finally {
            gathered.release();
            whole.release();
            release(publish);
        }
    }

    // =====================================================================================================
    // 5.0-only content written in 3.1.1
    // =====================================================================================================

    static Stream<Arguments> droppedIn311() {
        return Stream.of(
                Arguments.of("CONNACK properties",
                        (Supplier<MqttPacket>) () -> new Connack(true, ReasonCode.SUCCESS, connackProperties()),
                        (Supplier<MqttPacket>) () -> new Connack(true), "20 02 01 00"),
                Arguments.of("PUBLISH properties",
                        (Supplier<MqttPacket>) () -> new Publish("a/b", QoS.AT_LEAST_ONCE, true, false, 5,
                                publishProperties(), utf8("hi")),
                        (Supplier<MqttPacket>) () -> new Publish("a/b", QoS.AT_LEAST_ONCE, true, false, 5,
                                Properties.EMPTY, utf8("hi")), "33 09 00 03 61 2f 62 00 05 68 69"),
                Arguments.of("PUBACK reason code and properties",
                        (Supplier<MqttPacket>) () -> new Puback(7, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                                reasonProperties("none")),
                        (Supplier<MqttPacket>) () -> new Puback(7), "40 02 00 07"),
                Arguments.of("PUBREC error reason code",
                        (Supplier<MqttPacket>) () -> new Pubrec(8, ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY),
                        (Supplier<MqttPacket>) () -> new Pubrec(8), "50 02 00 08"),
                Arguments.of("PUBREL reason code",
                        (Supplier<MqttPacket>) () -> new Pubrel(3, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                                Properties.EMPTY),
                        (Supplier<MqttPacket>) () -> new Pubrel(3), "62 02 00 03"),
                Arguments.of("PUBCOMP properties",
                        (Supplier<MqttPacket>) () -> new Pubcomp(4, ReasonCode.SUCCESS, reasonProperties("ok")),
                        (Supplier<MqttPacket>) () -> new Pubcomp(4), "70 02 00 04"),
                Arguments.of("SUBSCRIBE identifier and user properties",
                        (Supplier<MqttPacket>) () -> new Subscribe(5,
                                List.of(new Subscription("a/b", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                                Properties.builder().add(SUBSCRIPTION_IDENTIFIER, 3).userProperty("k", "v").build()),
                        (Supplier<MqttPacket>) () -> new Subscribe(5,
                                List.of(new Subscription("a/b", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))),
                                Properties.EMPTY), "82 08 00 05 00 03 61 2f 62 01"),
                Arguments.of("SUBACK properties and 5.0 failure codes",
                        (Supplier<MqttPacket>) () -> new Suback(10, List.of(ReasonCode.GRANTED_QOS_1,
                                ReasonCode.QUOTA_EXCEEDED, ReasonCode.NOT_AUTHORIZED, ReasonCode.GRANTED_QOS_2),
                                reasonProperties("partly")),
                        (Supplier<MqttPacket>) () -> new Suback(10, List.of(ReasonCode.GRANTED_QOS_1,
                                ReasonCode.UNSPECIFIED_ERROR, ReasonCode.UNSPECIFIED_ERROR, ReasonCode.GRANTED_QOS_2),
                                Properties.EMPTY), "90 06 00 0a 01 80 80 02"),
                Arguments.of("UNSUBSCRIBE user properties",
                        (Supplier<MqttPacket>) () -> new Unsubscribe(5, List.of("a"),
                                Properties.builder().userProperty("k", "v").build()),
                        (Supplier<MqttPacket>) () -> new Unsubscribe(5, List.of("a"), Properties.EMPTY),
                        "a2 05 00 05 00 01 61"),
                Arguments.of("UNSUBACK reason codes and properties",
                        (Supplier<MqttPacket>) () -> new Unsuback(9, List.of(ReasonCode.SUCCESS,
                                ReasonCode.NO_SUBSCRIPTION_EXISTED), reasonProperties("gone")),
                        (Supplier<MqttPacket>) () -> new Unsuback(9), "b0 02 00 09"),
                Arguments.of("DISCONNECT reason code and properties",
                        (Supplier<MqttPacket>) () -> new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN,
                                disconnectProperties()),
                        (Supplier<MqttPacket>) () -> Disconnect.NORMAL, "e0 00"));
    }

    /** 3.1.1 leaves out what it cannot say: the bytes are exactly the 3.1.1 packet's, which is what decodes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("droppedIn311")
    void v5OnlyContentIsDroppedIn311(String name, Supplier<MqttPacket> rich, Supplier<MqttPacket> plain, String hex) {
        MqttPacket packet = rich.get();
        MqttPacket expected = plain.get();
        ByteBuf encoded = MqttEncoder.encode(packet, V3_1_1, ALLOC);
        MqttPacket decoded = null;
        try {
            assertEquals(hex, HEX.formatHex(ByteBufUtil.getBytes(encoded)), name);
            assertEquals(encoded.readableBytes(), MqttEncoder.encodedLength(packet, V3_1_1), name + ": length");
            decoded = MqttDecoder.decodeOne(encoded, V3_1_1);
            assertEquals(expected, decoded, name);
        } finally {
            release(decoded);
            release(expected);
            release(packet);
            encoded.release();
        }
    }

    /**
     * Every 5.0 CONNACK code folds onto a 3.1.1 return code: credentials onto 4, refusals of the client onto 5,
     * server conditions onto 3 (the table below is typed from ReasonCode.toV3ConnackCode's contract).
     */
    @Test
    void connackRefusalFoldsOntoA311ReturnCode() {
        Map<Integer, Integer> folds = new LinkedHashMap<>();
        folds.put(0x00, 0);
        folds.put(0x84, 1);
        folds.put(0x85, 2);
        folds.put(0x86, 4);
        folds.put(0x8C, 4);
        folds.put(0x87, 5);
        folds.put(0x8A, 5);
        for (ReasonCode code : specCodes(CONNACK)) {
            int expected = folds.getOrDefault(code.value(), 3);
            assertEquals(expected, code.toV3ConnackCode(), code.toString());
            Connack connack = new Connack(false, code, Properties.builder().add(REASON_STRING, "r").build());
            ByteBuf encoded = MqttEncoder.encode(connack, V3_1_1, ALLOC);
            try {
                assertEquals(String.format("20 02 00 %02x", expected), HEX.formatHex(ByteBufUtil.getBytes(encoded)),
                        code.toString());
                MqttPacket decoded = MqttDecoder.decodeOne(encoded, V3_1_1);
                assertEquals(new Connack(false, ReasonCode.fromV3ConnackCode(expected), Properties.EMPTY), decoded,
                        code.toString());
            } finally {
                encoded.release();
            }
        }
    }

    /** Every 5.0 SUBACK code in 3.1.1: a granted QoS stays, any failure becomes 0x80. */
    @Test
    void subackFailureIs0x80In311() {
        List<ReasonCode> codes = specCodes(SUBACK);
        Suback suback = new Suback(1, codes, Properties.EMPTY);
        StringBuilder hex = new StringBuilder(String.format("90 %02x 00 01", 2 + codes.size()));
        List<ReasonCode> back = new ArrayList<>();
        for (ReasonCode code : codes) {
            int v3 = code.value() <= 2 ? code.value() : 0x80;
            hex.append(String.format(" %02x", v3));
            back.add(v3 == 0x80 ? ReasonCode.UNSPECIFIED_ERROR : code);
        }
        ByteBuf encoded = MqttEncoder.encode(suback, V3_1_1, ALLOC);
        try {
            assertEquals(hex.toString(), HEX.formatHex(ByteBufUtil.getBytes(encoded)));
            assertEquals(new Suback(1, back, Properties.EMPTY), MqttDecoder.decodeOne(encoded, V3_1_1));
        } finally {
            encoded.release();
        }
    }

    static Stream<Arguments> refusedIn3() {
        List<Arguments> args = new ArrayList<>();
        for (MqttVersion v : List.of(V3_1_1, V3_1)) {
            for (ReasonCode code : specCodes(AUTH)) {
                args.add(Arguments.of(v, "AUTH " + code,
                        (Supplier<MqttPacket>) () -> new Auth(code, Properties.EMPTY)));
            }
            for (SubscriptionOptions o : allOptions()) {
                if (!o.isQosOnly()) {
                    args.add(Arguments.of(v, "SUBSCRIBE " + o, (Supplier<MqttPacket>) () -> new Subscribe(1,
                            List.of(new Subscription("a", SubscriptionOptions.of(QoS.AT_MOST_ONCE)),
                                    new Subscription("b", o)), Properties.EMPTY)));
                }
            }
            args.add(Arguments.of(v, "PUBLISH with a topic alias for its topic", (Supplier<MqttPacket>) () ->
                    new Publish("", QoS.AT_MOST_ONCE, false, false, 0,
                            Properties.builder().add(TOPIC_ALIAS, 1).build(), utf8("x"))));
            args.add(Arguments.of(v, "a 5.0 CONNECT", (Supplier<MqttPacket>) () ->
                    new Connect(V5, "c", true, 0, null, null, null, Properties.EMPTY)));
        }
        args.add(Arguments.of(V3_1_1, "a 3.1 CONNECT", (Supplier<MqttPacket>) () ->
                new Connect(V3_1, "c", true, 0, null, null, null, Properties.EMPTY)));
        args.add(Arguments.of(V5, "a 3.1.1 CONNECT", (Supplier<MqttPacket>) () ->
                new Connect(V3_1_1, "c", true, 0, null, null, null, Properties.EMPTY)));
        return args.stream();
    }

    /** What would change a packet's meaning is refused, before anything is written or allocated. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusedIn3")
    void refusedRatherThanChanged(MqttVersion v, String name, Supplier<MqttPacket> supplier) {
        MqttPacket packet = supplier.get();
        ByteBuf out = ALLOC.buffer(16).writeByte(0xEE);
        try {
            assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodedLength(packet, v), name);
            assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(packet, v, ALLOC).release(), name);
            assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(packet, v, out), name);
            assertEquals(1, out.writerIndex(), name + ": nothing appended");
            if (packet instanceof Publish p) {
                assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublishHeader(p, v, out), name);
                assertEquals(1, out.writerIndex(), name + ": no header appended");
            }
        } finally {
            out.release();
            release(packet);
        }
    }

    // =====================================================================================================
    // The catalogue covers what it claims to
    // =====================================================================================================

    /** The codec's reason-code table is exactly the specification's, packet by packet. */
    @Test
    void reasonCodeTableMatchesTheSpecification() {
        for (Map.Entry<PacketType, int[]> e : SPEC_REASON_CODES.entrySet()) {
            Set<Integer> spec = new TreeSet<>();
            for (int value : e.getValue()) {
                spec.add(value);
            }
            Set<Integer> codec = new TreeSet<>();
            for (int value = 0; value < 256; value++) {
                if (ReasonCode.of(e.getKey(), value) != null) {
                    codec.add(value);
                }
            }
            assertEquals(spec, codec, e.getKey() + " reason codes");
        }
    }

    /**
     * The 5.0 catalogue uses every packet type, every property (will properties included), every property wire
     * type and every (packet, reason code) pair the specification allows; the 3.1.1 catalogue every type but AUTH.
     */
    @Test
    void catalogueCoversEveryTypePropertyAndReasonCode() {
        Set<PacketType> v5Types = EnumSet.noneOf(PacketType.class);
        Set<PacketType> v3Types = EnumSet.noneOf(PacketType.class);
        Set<PropertyId> properties = EnumSet.noneOf(PropertyId.class);
        Set<String> reasonPairs = new TreeSet<>();
        cases().forEach(c -> {
            MqttPacket p = c.packet().get();
            try {
                (c.version().isV5() ? v5Types : v3Types).add(p.type());
                if (c.version().isV5()) {
                    PacketParts.properties(p).forEach(props -> {
                        for (int i = 0; i < props.size(); i++) {
                            properties.add(props.idAt(i));
                        }
                    });
                    PacketParts.reasonCodes(p).forEach(code -> reasonPairs.add(p.type() + " " + code));
                }
            } finally {
                release(p);
            }
        });
        assertEquals(EnumSet.allOf(PacketType.class), v5Types, "5.0 packet types");
        assertEquals(EnumSet.complementOf(EnumSet.of(AUTH)), v3Types, "3.x packet types");
        assertEquals(EnumSet.allOf(PropertyId.class), properties, "properties");
        Set<PropertyType> wireTypes = EnumSet.noneOf(PropertyType.class);
        properties.forEach(id -> wireTypes.add(id.type()));
        assertEquals(EnumSet.allOf(PropertyType.class), wireTypes, "property wire types");
        Set<String> allowed = new TreeSet<>();
        SPEC_REASON_CODES.keySet().forEach(type -> specCodes(type).forEach(code -> allowed.add(type + " " + code)));
        assertEquals(allowed, reasonPairs, "(packet, reason code) pairs");
    }
}
