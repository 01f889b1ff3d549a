package zzq.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
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
import zzq.codec.property.UserProperty;

/**
 * Random valid packets of every type for MQTT 3.1, 3.1.1 and 5.0, from a seeded {@link Random}: the same seed
 * gives the same packets. Every value is one the specification allows and the codec can say in that version.
 */
final class PacketGenerator {
    /** Characters of one to four UTF-8 bytes, BOM and C0/C1 controls included (allowed, MQTT-1.5.4-3). */
    private static final String[] CHARS = {
        "a", "b", "z", "0", "9", "_", "-", ".", " ", "$", "~", "\u0001", "\u001f", "\u007f",
        "é", "ß", "Ω", "ж", "\u0080", "\u009f", "\u07ff",
        "中", "文", "€", "\u0800", "\ufeff", "\ufffd", "\uffff",
        "😀", "🚀", "𝄞", "\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08", new String(Character.toChars(0x10FFFF)),
    };

    private static final List<ReasonCode> V3_SUBACK_CODES = List.of(ReasonCode.GRANTED_QOS_0,
            ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR);

    private final Random rnd;
    private final int maxPayload;
    /** While set, properties carry every property the packet allows, and a CONNECT has a will. */
    private boolean everyProperty;

    /** A generator whose PUBLISH payloads run from empty to several KB, and now and then to about 100 KB. */
    PacketGenerator(long seed) {
        this(seed, Integer.MAX_VALUE);
    }

    /** A generator whose PUBLISH payloads and will payloads stay at or under {@code maxPayload} bytes. */
    PacketGenerator(long seed, int maxPayload) {
        this.rnd = new Random(seed);
        this.maxPayload = maxPayload;
    }

    Random random() {
        return rnd;
    }

    /** The packet types a connection of this version can carry. */
    static List<PacketType> types(MqttVersion version) {
        List<PacketType> types = new ArrayList<>(List.of(PacketType.values()));
        if (!version.isV5()) {
            types.remove(PacketType.AUTH);
        }
        return types;
    }

    /**
     * A random valid 5.0 packet of this type that carries every property the type allows (a CONNECT also a will
     * with every will property), user properties repeated, and in a PUBLISH several subscription identifiers.
     */
    MqttPacket withEveryProperty(PacketType type, ByteBufAllocator alloc) {
        everyProperty = true;
        try {
            return packet(type, MqttVersion.V5, alloc);
        } finally {
            everyProperty = false;
        }
    }

    /** A packet of a random type that exists in {@code version}. */
    MqttPacket any(MqttVersion version, ByteBufAllocator alloc) {
        List<PacketType> types = types(version);
        return packet(types.get(rnd.nextInt(types.size())), version, alloc);
    }

    /**
     * A random valid packet of this type in this version. A PUBLISH's payload comes from {@code alloc}; the
     * caller releases it.
     */
    MqttPacket packet(PacketType type, MqttVersion v, ByteBufAllocator alloc) {
        return switch (type) {
            case CONNECT -> connect(v);
            case CONNACK -> connack(v);
            case PUBLISH -> publish(v, alloc);
            case PUBACK -> new Puback(packetId(), ackCode(PacketType.PUBACK, v), properties(PacketType.PUBACK, v));
            case PUBREC -> new Pubrec(packetId(), ackCode(PacketType.PUBREC, v), properties(PacketType.PUBREC, v));
            case PUBREL -> new Pubrel(packetId(), ackCode(PacketType.PUBREL, v), properties(PacketType.PUBREL, v));
            case PUBCOMP -> new Pubcomp(packetId(), ackCode(PacketType.PUBCOMP, v),
                    properties(PacketType.PUBCOMP, v));
            case SUBSCRIBE -> subscribe(v);
            case SUBACK -> suback(v);
            case UNSUBSCRIBE -> unsubscribe(v);
            case UNSUBACK -> unsuback(v);
            case PINGREQ -> Pingreq.INSTANCE;
            case PINGRESP -> Pingresp.INSTANCE;
            case DISCONNECT -> v.isV5()
                    ? new Disconnect(code(PacketType.DISCONNECT), properties(PacketType.DISCONNECT, v))
                    : Disconnect.NORMAL;
            case AUTH -> {
                if (!v.isV5()) {
                    throw new IllegalArgumentException("AUTH is 5.0 only");
                }
                yield new Auth(code(PacketType.AUTH), properties(PacketType.AUTH, v));
            }
        };
    }

    Connect connect(MqttVersion v) {
        String clientId = rnd.nextInt(8) == 0 ? "" : string(1, 23);
        String username = rnd.nextBoolean() ? string(0, 30) : null;
        BinaryData password = (username != null || v.isV5()) && rnd.nextBoolean() ? binary(0, 40) : null;
        Will will = null;
        if (everyProperty || rnd.nextBoolean()) {
            BinaryData payload = binary(0, Math.min(maxPayload, rnd.nextInt(10) == 0 ? 65_535 : 200));
            will = new Will(topicName(), payload, QoS.of(rnd.nextInt(3)), rnd.nextBoolean(),
                    v.isV5() ? willProperties() : Properties.EMPTY);
        }
        int keepAlive = pickInt(0, 1, 60, 65_535, rnd.nextInt(65_536));
        return new Connect(v, clientId, rnd.nextBoolean(), keepAlive, username, password, will,
                properties(PacketType.CONNECT, v));
    }

    Connack connack(MqttVersion v) {
        ReasonCode code;
        if (v.isV5()) {
            code = code(PacketType.CONNACK);
        } else {
            code = ReasonCode.fromV3ConnackCode(rnd.nextInt(6));
        }
        return new Connack(!code.isError() && rnd.nextBoolean(), code, properties(PacketType.CONNACK, v));
    }

    Publish publish(MqttVersion v, ByteBufAllocator alloc) {
        return publish(v, alloc, payloadSize());
    }

    /** A random PUBLISH with a payload of {@code size} random bytes. */
    Publish publish(MqttVersion v, ByteBufAllocator alloc, int size) {
        QoS qos = QoS.of(rnd.nextInt(3));
        Properties properties = properties(PacketType.PUBLISH, v);
        String topic = v.isV5() && properties.contains(PropertyId.TOPIC_ALIAS) && rnd.nextBoolean()
                ? "" : topicName();
        ByteBuf payload = alloc.buffer(size);
        byte[] bytes = new byte[size];
        rnd.nextBytes(bytes);
        payload.writeBytes(bytes);
        boolean zero = qos == QoS.AT_MOST_ONCE;
        return new Publish(topic, qos, rnd.nextBoolean(), !zero && rnd.nextBoolean(), zero ? 0 : packetId(),
                properties, payload);
    }

    Subscribe subscribe(MqttVersion v) {
        int n = count();
        List<Subscription> subs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String filter = topicFilter();
            QoS qos = QoS.of(rnd.nextInt(3));
            SubscriptionOptions options = v.isV5()
                    ? new SubscriptionOptions(qos, !Topics.isShared(filter) && rnd.nextBoolean(), rnd.nextBoolean(),
                            RetainHandling.of(rnd.nextInt(3)))
                    : SubscriptionOptions.of(qos);
            subs.add(new Subscription(filter, options));
        }
        return new Subscribe(packetId(), subs, properties(PacketType.SUBSCRIBE, v));
    }

    Suback suback(MqttVersion v) {
        int n = count();
        List<ReasonCode> codes = new ArrayList<>(n);
        List<ReasonCode> allowed = v.isV5() ? codesOf(PacketType.SUBACK) : V3_SUBACK_CODES;
        for (int i = 0; i < n; i++) {
            codes.add(allowed.get(rnd.nextInt(allowed.size())));
        }
        return new Suback(packetId(), codes, properties(PacketType.SUBACK, v));
    }

    Unsubscribe unsubscribe(MqttVersion v) {
        int n = count();
        List<String> filters = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            filters.add(topicFilter());
        }
        return new Unsubscribe(packetId(), filters, properties(PacketType.UNSUBSCRIBE, v));
    }

    Unsuback unsuback(MqttVersion v) {
        if (!v.isV5()) {
            return new Unsuback(packetId());
        }
        int n = count();
        List<ReasonCode> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            codes.add(code(PacketType.UNSUBACK));
        }
        return new Unsuback(packetId(), codes, properties(PacketType.UNSUBACK, v));
    }

    /**
     * Every reason code a packet of this type can carry in this version: in 3.1.1 the CONNACK return codes, the
     * SUBACK return codes (granted QoS or 0x80) and Success for acknowledgements; in 5.0 all of them.
     */
    static List<ReasonCode> codesOf(PacketType type, MqttVersion v) {
        if (v.isV5()) {
            return type == PacketType.CONNECT || type == PacketType.PUBLISH || type == PacketType.SUBSCRIBE
                    || type == PacketType.UNSUBSCRIBE || type == PacketType.PINGREQ || type == PacketType.PINGRESP
                    ? List.of() : codesOf(type);
        }
        return switch (type) {
            case CONNACK -> List.of(ReasonCode.SUCCESS, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ReasonCode.SERVER_UNAVAILABLE,
                    ReasonCode.BAD_USER_NAME_OR_PASSWORD, ReasonCode.NOT_AUTHORIZED);
            case SUBACK -> V3_SUBACK_CODES;
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> List.of(ReasonCode.SUCCESS);
            case DISCONNECT -> List.of(ReasonCode.NORMAL_DISCONNECTION);
            default -> List.of();
        };
    }

    /**
     * A random valid packet of this type that carries {@code code} (for SUBACK and UNSUBACK, among others).
     *
     * @param code one of {@link #codesOf(PacketType, MqttVersion)}
     */
    MqttPacket withReason(PacketType type, ReasonCode code, MqttVersion v) {
        Properties props = properties(type, v);
        return switch (type) {
            case CONNACK -> new Connack(!code.isError() && rnd.nextBoolean(), code, props);
            case PUBACK -> new Puback(packetId(), code, props);
            case PUBREC -> new Pubrec(packetId(), code, props);
            case PUBREL -> new Pubrel(packetId(), code, props);
            case PUBCOMP -> new Pubcomp(packetId(), code, props);
            case SUBACK -> {
                List<ReasonCode> codes = new ArrayList<>(suback(v).reasonCodes());
                codes.add(rnd.nextInt(codes.size() + 1), code);
                yield new Suback(packetId(), codes, props);
            }
            case UNSUBACK -> {
                List<ReasonCode> codes = new ArrayList<>(unsuback(v).reasonCodes());
                codes.add(rnd.nextInt(codes.size() + 1), code);
                yield new Unsuback(packetId(), codes, props);
            }
            case DISCONNECT -> new Disconnect(code, props);
            case AUTH -> new Auth(code, props);
            default -> throw new IllegalArgumentException(type + " carries no reason code");
        };
    }

    /** Every reason code the packet may carry, in declaration order. */
    static List<ReasonCode> codesOf(PacketType type) {
        List<ReasonCode> codes = new ArrayList<>();
        for (ReasonCode c : ReasonCode.values()) {
            if (c.isAllowedIn(type)) {
                codes.add(c);
            }
        }
        return codes;
    }

    private ReasonCode code(PacketType type) {
        List<ReasonCode> codes = codesOf(type);
        return codes.get(rnd.nextInt(codes.size()));
    }

    private ReasonCode ackCode(PacketType type, MqttVersion v) {
        return v.isV5() ? code(type) : ReasonCode.SUCCESS;
    }

    private int packetId() {
        return pickInt(1, 0xFFFF, 1 + rnd.nextInt(0xFFFF));
    }

    /** How many filters or codes: mostly a few, sometimes many. */
    private int count() {
        return rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(60) : 1 + rnd.nextInt(4);
    }

    private int payloadSize() {
        int r = rnd.nextInt(100);
        int size;
        if (r < 10) {
            size = 0;
        } else if (r < 65) {
            size = rnd.nextInt(128);
        } else if (r < 98) {
            size = rnd.nextInt(6 * 1024);
        } else {
            size = 90_000 + rnd.nextInt(20_000);
        }
        return Math.min(size, maxPayload);
    }

    // ---- properties

    /** Random properties legal in {@code type}: each allowed property or none, repeatable ones repeated. */
    Properties properties(PacketType type, MqttVersion v) {
        if (!v.isV5() || (!everyProperty && rnd.nextInt(5) == 0)) {
            return Properties.EMPTY;
        }
        List<Object[]> entries = new ArrayList<>();
        for (PropertyId id : PropertyId.values()) {
            if (!id.isAllowedIn(type) || id == PropertyId.USER_PROPERTY) {
                continue;
            }
            if (everyProperty || rnd.nextInt(3) == 0) {
                int times = id.isRepeatableIn(type) && (everyProperty || rnd.nextBoolean()) ? 1 + rnd.nextInt(4) : 1;
                for (int i = 0; i < times; i++) {
                    entries.add(new Object[] {id, value(id)});
                }
            }
        }
        addUserProperties(entries);
        return build(entries);
    }

    /** Random will properties: each property a will may carry, or none. */
    Properties willProperties() {
        if (!everyProperty && rnd.nextInt(4) == 0) {
            return Properties.EMPTY;
        }
        List<Object[]> entries = new ArrayList<>();
        for (PropertyId id : PropertyId.values()) {
            if (id.isAllowedInWill() && id != PropertyId.USER_PROPERTY && (everyProperty || rnd.nextInt(3) == 0)) {
                entries.add(new Object[] {id, value(id)});
            }
        }
        addUserProperties(entries);
        return build(entries);
    }

    private void addUserProperties(List<Object[]> entries) {
        int users = everyProperty ? 2 + rnd.nextInt(4) : rnd.nextInt(3) == 0 ? rnd.nextInt(6) : 0;
        UserProperty last = null;
        for (int i = 0; i < users; i++) {
            UserProperty p;
            if (last != null && rnd.nextInt(3) == 0) {
                // the same pair again, or the same name with another value: both allowed (MQTT-3.3.2-17/18)
                p = rnd.nextBoolean() ? last : new UserProperty(last.name(), string(0, 10));
            } else {
                p = new UserProperty(string(0, 12), string(0, 20));
            }
            entries.add(new Object[] {PropertyId.USER_PROPERTY, p});
            last = p;
        }
        Collections.shuffle(entries, rnd);
    }

    private static Properties build(List<Object[]> entries) {
        Properties.Builder b = Properties.builder();
        for (Object[] e : entries) {
            PropertyId id = (PropertyId) e[0];
            Object value = e[1];
            if (value instanceof Long l) {
                b.add(id, l.longValue());
            } else if (value instanceof String s) {
                b.add(id, s);
            } else if (value instanceof BinaryData d) {
                b.add(id, d);
            } else {
                b.add((UserProperty) value);
            }
        }
        return b.build();
    }

    /** A random value the specification allows for the property. */
    Object value(PropertyId id) {
        return switch (id.type()) {
            case BYTE -> (long) rnd.nextInt(2);
            case TWO_BYTE_INTEGER -> {
                boolean nonZero = id == PropertyId.RECEIVE_MAXIMUM || id == PropertyId.TOPIC_ALIAS;
                long x = pickLong(1, 0xFFFF, 1 + rnd.nextInt(0xFFFF));
                yield nonZero || rnd.nextInt(8) != 0 ? x : 0L;
            }
            case FOUR_BYTE_INTEGER -> {
                long x = pickLong(1, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 1 + (rnd.nextLong() & 0xFFFF_FFFEL));
                yield id == PropertyId.MAXIMUM_PACKET_SIZE || rnd.nextInt(8) != 0 ? x : 0L;
            }
            case VARIABLE_BYTE_INTEGER -> pickLong(1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455,
                    1 + rnd.nextInt(268_435_455));
            case UTF8_STRING -> id == PropertyId.RESPONSE_TOPIC ? topicName() : string(0, 30);
            case BINARY_DATA -> binary(0, rnd.nextInt(20) == 0 ? 3000 : 40);
            case UTF8_STRING_PAIR -> new UserProperty(string(0, 12), string(0, 20));
        };
    }

    // ---- strings and topics

    /** A random MQTT string of {@code min} to {@code max} characters (emoji and the like count as one). */
    String string(int min, int max) {
        int n = min + rnd.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(3) == 0 ? CHARS[rnd.nextInt(CHARS.length)] : (char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    /** One topic level: no '/', '+', '#' (or U+0000); possibly empty. */
    String level() {
        int r = rnd.nextInt(10);
        if (r == 0) {
            return "";
        }
        if (r == 1) {
            return "$SYS";
        }
        return string(1, 8);
    }

    /** A valid topic name: levels with empty ones ("a//b", "/a", "a/"), multi-byte characters, no wildcards. */
    String topicName() {
        if (rnd.nextInt(50) == 0) {
            return pick("/", "//", "a//b", "/a", "a/", "$SYS/x", "\ufeff", "😀/😀");
        }
        int levels = 1 + rnd.nextInt(rnd.nextInt(20) == 0 ? 60 : 5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(level());
        }
        if (sb.length() == 0) {
            sb.append(string(1, 3));
        }
        return sb.toString();
    }

    /** A valid topic filter: '+' as whole levels anywhere, '#' as the whole last level, sometimes shared. */
    String topicFilter() {
        if (rnd.nextInt(30) == 0) {
            return pick("#", "+", "/#", "+/+", "a/+/b/#", "+/", "/+", "//", "$share/g/#", "$share/g/+/x",
                    "$share/😀/a//b");
        }
        int levels = 1 + rnd.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            int r = rnd.nextInt(10);
            if (r < 2) {
                sb.append('+');
            } else if (r == 2 && i == levels - 1) {
                sb.append('#');
            } else {
                sb.append(level());
            }
        }
        if (sb.length() == 0) {
            sb.append('#');
        }
        String filter = sb.toString();
        if (rnd.nextInt(6) == 0) {
            String shareName = string(1, 6);
            filter = Topics.SHARE_PREFIX + shareName + "/" + filter;
        }
        return filter;
    }

    BinaryData binary(int min, int max) {
        byte[] b = new byte[min + rnd.nextInt(max - min + 1)];
        rnd.nextBytes(b);
        return BinaryData.of(b);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[rnd.nextInt(options.length)];
    }

    private int pickInt(int... options) {
        return options[rnd.nextInt(options.length)];
    }

    private long pickLong(long... options) {
        return options[rnd.nextInt(options.length)];
    }

    /** The packet types of this list, as a set, for tests that want each type covered. */
    static EnumSet<PacketType> typesOf(List<? extends MqttPacket> packets) {
        EnumSet<PacketType> set = EnumSet.noneOf(PacketType.class);
        packets.forEach(p -> set.add(p.type()));
        return set;
    }
}
