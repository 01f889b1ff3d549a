package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;
import static zzq.codec.MalformedPacketException.protocolError;

import zzq.codec.MqttVersion;
import zzq.codec.PacketType;

/**
 * The checks the first fixed-header byte allows before any of the body is read, so a stream of garbage is refused
 * at its first byte instead of after buffering a body it claims.
 */
public final class FixedHeader {
    /** The largest fixed header: one type byte and a four-byte remaining length. */
    public static final int MAX_LENGTH = 5;

    private FixedHeader() {
    }

    /**
     * Checks the packet type and its reserved flags.
     *
     * @param version the connection's version, or {@code null} while its CONNECT has not arrived
     * @return the packet type
     * @throws zzq.codec.MalformedPacketException for a reserved type, wrong flags, or anything but CONNECT first
     */
    public static PacketType check(int firstByte, MqttVersion version) {
        PacketType type = PacketType.of(firstByte >>> 4);
        if (type == null || (type == PacketType.AUTH && version != null && !version.isV5())) {
            throw malformed("2.1.2", "packet type " + (firstByte >>> 4) + " is reserved"
                    + (version == null ? "" : " in MQTT " + version));
        }
        if (version == null && type != PacketType.CONNECT) {
            throw protocolError("MQTT-3.1.0-1", "the first packet of a connection must be CONNECT, not " + type);
        }
        int flags = firstByte & 0x0F;
        if (type != PacketType.PUBLISH && flags != type.requiredFlags()) {
            throw malformed("MQTT-2.1.3-1", type + " fixed-header flags must be 0b"
                    + Integer.toBinaryString(type.requiredFlags()) + ", not 0b" + Integer.toBinaryString(flags));
        }
        return type;
    }
}
