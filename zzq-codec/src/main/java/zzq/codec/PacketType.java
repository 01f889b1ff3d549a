package zzq.codec;

/**
 * The fifteen MQTT control packet types with the fixed-header flags each requires (MQTT 5.0 section 2.1.3).
 *
 * <p>PUBLISH is the only type whose flags carry meaning (DUP, QoS, RETAIN); for every other type the flags are
 * reserved and must be exactly {@link #requiredFlags()} (MQTT-2.1.3-1).
 */
public enum PacketType {
    CONNECT(1, 0b0000),
    CONNACK(2, 0b0000),
    PUBLISH(3, -1),
    PUBACK(4, 0b0000),
    PUBREC(5, 0b0000),
    PUBREL(6, 0b0010),
    PUBCOMP(7, 0b0000),
    SUBSCRIBE(8, 0b0010),
    SUBACK(9, 0b0000),
    UNSUBSCRIBE(10, 0b0010),
    UNSUBACK(11, 0b0000),
    PINGREQ(12, 0b0000),
    PINGRESP(13, 0b0000),
    DISCONNECT(14, 0b0000),
    /** MQTT 5.0 only. */
    AUTH(15, 0b0000);

    private static final PacketType[] BY_VALUE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;
    private final int requiredFlags;

    PacketType(int value, int requiredFlags) {
        this.value = value;
        this.requiredFlags = requiredFlags;
    }

    /** The type's number in the high nibble of the first fixed-header byte. */
    public int value() {
        return value;
    }

    /** The reserved flags the low nibble must hold, or -1 for PUBLISH, whose flags are DUP, QoS and RETAIN. */
    public int requiredFlags() {
        return requiredFlags;
    }

    /** The type with this number, or {@code null} for 0 (reserved) and anything above 15. */
    public static PacketType of(int value) {
        return value > 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
