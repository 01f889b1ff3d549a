package zzq.codec.property;

import static zzq.codec.PacketType.AUTH;
import static zzq.codec.PacketType.CONNACK;
import static zzq.codec.PacketType.CONNECT;
import static zzq.codec.PacketType.DISCONNECT;
import static zzq.codec.PacketType.PUBACK;
import static zzq.codec.PacketType.PUBCOMP;
import static zzq.codec.PacketType.PUBLISH;
import static zzq.codec.PacketType.PUBREC;
import static zzq.codec.PacketType.PUBREL;
import static zzq.codec.PacketType.SUBACK;
import static zzq.codec.PacketType.SUBSCRIBE;
import static zzq.codec.PacketType.UNSUBACK;
import static zzq.codec.PacketType.UNSUBSCRIBE;
import static zzq.codec.property.PropertyType.BINARY_DATA;
import static zzq.codec.property.PropertyType.BYTE;
import static zzq.codec.property.PropertyType.FOUR_BYTE_INTEGER;
import static zzq.codec.property.PropertyType.TWO_BYTE_INTEGER;
import static zzq.codec.property.PropertyType.UTF8_STRING;
import static zzq.codec.property.PropertyType.UTF8_STRING_PAIR;
import static zzq.codec.property.PropertyType.VARIABLE_BYTE_INTEGER;

import java.util.EnumSet;
import java.util.Set;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;

/**
 * Every MQTT 5.0 property (MQTT 5.0 section 2.2.2.2, table 2-4): its identifier, wire type, the packets it may
 * appear in, whether it may appear in a CONNECT's will properties, and whether it may appear more than once.
 *
 * <p>A property that may appear once and appears twice is a protocol error (stated property by property); one
 * that appears in a packet it is not valid for is a malformed packet (section 2.2.2.2).
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, BYTE, true, false, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, FOUR_BYTE_INTEGER, true, false, PUBLISH),
    CONTENT_TYPE(0x03, UTF8_STRING, true, false, PUBLISH),
    RESPONSE_TOPIC(0x08, UTF8_STRING, true, false, PUBLISH),
    CORRELATION_DATA(0x09, BINARY_DATA, true, false, PUBLISH),
    /** Repeatable in PUBLISH (one per matching subscription), once in SUBSCRIBE. */
    SUBSCRIPTION_IDENTIFIER(0x0B, VARIABLE_BYTE_INTEGER, false, true, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, FOUR_BYTE_INTEGER, false, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, UTF8_STRING, false, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, TWO_BYTE_INTEGER, false, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, UTF8_STRING, false, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, BINARY_DATA, false, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, BYTE, false, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, FOUR_BYTE_INTEGER, true, false),
    REQUEST_RESPONSE_INFORMATION(0x19, BYTE, false, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, UTF8_STRING, false, false, CONNACK),
    SERVER_REFERENCE(0x1C, UTF8_STRING, false, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, UTF8_STRING, false, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, TWO_BYTE_INTEGER, false, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, TWO_BYTE_INTEGER, false, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, TWO_BYTE_INTEGER, false, false, PUBLISH),
    MAXIMUM_QOS(0x24, BYTE, false, false, CONNACK),
    RETAIN_AVAILABLE(0x25, BYTE, false, false, CONNACK),
    /** Repeatable everywhere it may appear; the order of user properties is kept (MQTT-3.3.2-18). */
    USER_PROPERTY(0x26, UTF8_STRING_PAIR, true, true,
            CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK,
            DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, FOUR_BYTE_INTEGER, false, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, BYTE, false, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, BYTE, false, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, BYTE, false, false, CONNACK);

    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final PropertyType type;
    private final boolean allowedInWill;
    private final boolean repeatable;
    private final Set<PacketType> packets;

    PropertyId(int id, PropertyType type, boolean allowedInWill, boolean repeatable, PacketType... packets) {
        this.id = id;
        this.type = type;
        this.allowedInWill = allowedInWill;
        this.repeatable = repeatable;
        this.packets = packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.of(packets[0], packets);
    }

    /** The identifier byte written before the value. */
    public int id() {
        return id;
    }

    /** The wire type of the value. */
    public PropertyType type() {
        return type;
    }

    /** Whether the property may appear in the will properties of a CONNECT. */
    public boolean isAllowedInWill() {
        return allowedInWill;
    }

    /**
     * Whether the property may appear more than once in one packet. The Subscription Identifier is repeatable
     * in PUBLISH only: a SUBSCRIBE carries at most one (MQTT 5.0 section 3.8.2.1.2).
     */
    public boolean isRepeatableIn(PacketType packet) {
        return this == SUBSCRIPTION_IDENTIFIER ? packet == PUBLISH : repeatable;
    }

    /** Whether the property may appear in the properties of a packet of the given type. */
    public boolean isAllowedIn(PacketType type) {
        return packets.contains(type);
    }

    /**
     * Checks a numeric value against the property's type and the values the specification allows it.
     *
     * @throws zzq.codec.MalformedPacketException a protocol error naming the rule, for a value the
     *         specification forbids (a Receive Maximum of 0, a Payload Format Indicator of 2...)
     * @throws IllegalArgumentException if the property does not hold a number, or the value overflows its type
     */
    public void checkValue(long value) {
        if (!type.isInteger()) {
            throw new IllegalArgumentException(this + " holds a " + type + ", not a number");
        }
        if (value < 0 || value > type.maxValue()) {
            throw new IllegalArgumentException(this + " must be between 0 and " + type.maxValue() + ", not " + value);
        }
        switch (this) {
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION, MAXIMUM_QOS,
                    RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                    SHARED_SUBSCRIPTION_AVAILABLE -> {
                if (value > 1) {
                    throw MalformedPacketException.protocolError("2.2.2.2", this + " must be 0 or 1, not " + value);
                }
            }
            case RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE, SUBSCRIPTION_IDENTIFIER -> {
                if (value == 0) {
                    throw MalformedPacketException.protocolError("2.2.2.2", this + " must not be 0");
                }
            }
            case TOPIC_ALIAS -> {
                if (value == 0) {
                    throw new MalformedPacketException(ReasonCode.TOPIC_ALIAS_INVALID, "MQTT-3.3.2-8",
                            "a Topic Alias must not be 0");
                }
            }
            default -> {
                // any value of the type is allowed
            }
        }
    }

    /** The property with this identifier, or {@code null} if there is none. */
    public static PropertyId of(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
