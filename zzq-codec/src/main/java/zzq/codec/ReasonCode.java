package zzq.codec;

import static zzq.codec.PacketType.AUTH;
import static zzq.codec.PacketType.CONNACK;
import static zzq.codec.PacketType.DISCONNECT;
import static zzq.codec.PacketType.PUBACK;
import static zzq.codec.PacketType.PUBCOMP;
import static zzq.codec.PacketType.PUBREC;
import static zzq.codec.PacketType.PUBREL;
import static zzq.codec.PacketType.SUBACK;
import static zzq.codec.PacketType.UNSUBACK;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every MQTT 5.0 reason code (MQTT 5.0 section 2.4, table 2-6), each with the packets it may appear in.
 *
 * <p>One byte value can name several codes (0x00 is Success, Normal disconnection or Granted QoS 0 depending on
 * the packet), so decoding asks {@link #of(PacketType, int)}. MQTT 3.1.1 has no reason codes; its CONNACK return
 * codes and SUBACK return codes map onto these through {@link #fromV3ConnackCode(int)},
 * {@link #toV3ConnackCode()} and {@link #toV3SubackCode()}.
 */
public enum ReasonCode {
    SUCCESS(0x00, CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK, AUTH),
    NORMAL_DISCONNECTION(0x00, DISCONNECT),
    GRANTED_QOS_0(0x00, SUBACK),
    GRANTED_QOS_1(0x01, SUBACK),
    GRANTED_QOS_2(0x02, SUBACK),
    DISCONNECT_WITH_WILL_MESSAGE(0x04, DISCONNECT),
    NO_MATCHING_SUBSCRIBERS(0x10, PUBACK, PUBREC),
    NO_SUBSCRIPTION_EXISTED(0x11, UNSUBACK),
    CONTINUE_AUTHENTICATION(0x18, AUTH),
    RE_AUTHENTICATE(0x19, AUTH),
    UNSPECIFIED_ERROR(0x80, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    MALFORMED_PACKET(0x81, CONNACK, DISCONNECT),
    PROTOCOL_ERROR(0x82, CONNACK, DISCONNECT),
    IMPLEMENTATION_SPECIFIC_ERROR(0x83, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    UNSUPPORTED_PROTOCOL_VERSION(0x84, CONNACK),
    CLIENT_IDENTIFIER_NOT_VALID(0x85, CONNACK),
    BAD_USER_NAME_OR_PASSWORD(0x86, CONNACK),
    NOT_AUTHORIZED(0x87, CONNACK, PUBACK, PUBREC, SUBACK, UNSUBACK, DISCONNECT),
    SERVER_UNAVAILABLE(0x88, CONNACK),
    SERVER_BUSY(0x89, CONNACK, DISCONNECT),
    BANNED(0x8A, CONNACK),
    SERVER_SHUTTING_DOWN(0x8B, DISCONNECT),
    BAD_AUTHENTICATION_METHOD(0x8C, CONNACK, DISCONNECT),
    KEEP_ALIVE_TIMEOUT(0x8D, DISCONNECT),
    SESSION_TAKEN_OVER(0x8E, DISCONNECT),
    TOPIC_FILTER_INVALID(0x8F, SUBACK, UNSUBACK, DISCONNECT),
    TOPIC_NAME_INVALID(0x90, CONNACK, PUBACK, PUBREC, DISCONNECT),
    PACKET_IDENTIFIER_IN_USE(0x91, PUBACK, PUBREC, SUBACK, UNSUBACK),
    PACKET_IDENTIFIER_NOT_FOUND(0x92, PUBREL, PUBCOMP),
    RECEIVE_MAXIMUM_EXCEEDED(0x93, DISCONNECT),
    TOPIC_ALIAS_INVALID(0x94, DISCONNECT),
    PACKET_TOO_LARGE(0x95, CONNACK, DISCONNECT),
    MESSAGE_RATE_TOO_HIGH(0x96, DISCONNECT),
    QUOTA_EXCEEDED(0x97, CONNACK, PUBACK, PUBREC, SUBACK, DISCONNECT),
    ADMINISTRATIVE_ACTION(0x98, DISCONNECT),
    PAYLOAD_FORMAT_INVALID(0x99, CONNACK, PUBACK, PUBREC, DISCONNECT),
    RETAIN_NOT_SUPPORTED(0x9A, CONNACK, DISCONNECT),
    QOS_NOT_SUPPORTED(0x9B, CONNACK, DISCONNECT),
    USE_ANOTHER_SERVER(0x9C, CONNACK, DISCONNECT),
    SERVER_MOVED(0x9D, CONNACK, DISCONNECT),
    SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E, SUBACK, DISCONNECT),
    CONNECTION_RATE_EXCEEDED(0x9F, CONNACK, DISCONNECT),
    MAXIMUM_CONNECT_TIME(0xA0, DISCONNECT),
    SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED(0xA1, SUBACK, DISCONNECT),
    WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED(0xA2, SUBACK, DISCONNECT);

    /** [packet type][byte value] -> code; null where the byte means nothing in that packet. */
    private static final ReasonCode[][] BY_PACKET = new ReasonCode[16][256];

    static {
        for (ReasonCode c : values()) {
            for (PacketType t : c.packets) {
                BY_PACKET[t.value()][c.value] = c;
            }
        }
    }

    private final int value;
    private final Set<PacketType> packets;

    ReasonCode(int value, PacketType first, PacketType... rest) {
        this.value = value;
        this.packets = EnumSet.of(first, rest);
    }

    /** The byte written on the wire. */
    public int value() {
        return value;
    }

    /** Whether this code reports a failure (0x80 and above). */
    public boolean isError() {
        return value >= 0x80;
    }

    /** Whether this code may appear in a packet of the given type. */
    public boolean isAllowedIn(PacketType type) {
        return packets.contains(type);
    }

    /** The packets this code may appear in. */
    public Set<PacketType> packets() {
        return packets;
    }

    /** The code this byte means in a packet of this type, or {@code null} if it means nothing there. */
    public static ReasonCode of(PacketType type, int value) {
        return value < 0 || value > 255 ? null : BY_PACKET[type.value()][value];
    }

    /** The SUBACK code that grants this QoS. */
    public static ReasonCode granted(QoS qos) {
        return switch (qos) {
            case AT_MOST_ONCE -> GRANTED_QOS_0;
            case AT_LEAST_ONCE -> GRANTED_QOS_1;
            case EXACTLY_ONCE -> GRANTED_QOS_2;
        };
    }

    /**
     * The code an MQTT 3.1.1 CONNACK return code (0 to 5) stands for, or {@code null} for the reserved 6 to 255.
     */
    public static ReasonCode fromV3ConnackCode(int returnCode) {
        return switch (returnCode) {
            case 0 -> SUCCESS;
            case 1 -> UNSUPPORTED_PROTOCOL_VERSION;
            case 2 -> CLIENT_IDENTIFIER_NOT_VALID;
            case 3 -> SERVER_UNAVAILABLE;
            case 4 -> BAD_USER_NAME_OR_PASSWORD;
            case 5 -> NOT_AUTHORIZED;
            default -> null;
        };
    }

    /**
     * The MQTT 3.1.1 CONNACK return code that best carries this CONNACK code. 3.1.1 has six return codes, so the
     * many 5.0 refusals fold onto them: credential problems onto 4, refusals of this client onto 5, and the
     * server-side conditions (busy, moved, rate, anything unspecified) onto 3, Server unavailable.
     */
    public int toV3ConnackCode() {
        return switch (this) {
            case SUCCESS -> 0;
            case UNSUPPORTED_PROTOCOL_VERSION -> 1;
            case CLIENT_IDENTIFIER_NOT_VALID -> 2;
            case BAD_USER_NAME_OR_PASSWORD, BAD_AUTHENTICATION_METHOD -> 4;
            case NOT_AUTHORIZED, BANNED -> 5;
            default -> 3;
        };
    }

    /** The MQTT 3.1.1 SUBACK return code: the granted QoS, or 0x80 for any failure. */
    public int toV3SubackCode() {
        return isError() ? 0x80 : value;
    }
}
