package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Disconnect;
import zzq.codec.property.Properties;

/**
 * 5.0 DISCONNECT and AUTH on the wire: a reason code and properties, both left out (remaining length 0) for a
 * plain success. A DISCONNECT may also end after its reason code (MQTT 5.0 section 3.14.2.2); an AUTH may not.
 */
final class ReasonWire {
    private ReasonWire() {
    }

    static Disconnect readDisconnect(ByteBuf in) {
        if (!in.isReadable()) {
            return Disconnect.NORMAL;
        }
        ReasonCode reason = readReason(in, PacketType.DISCONNECT);
        Properties properties = in.isReadable() ? PropertiesWire.read(in, PacketType.DISCONNECT) : Properties.EMPTY;
        return new Disconnect(reason, properties);
    }

    static Auth readAuth(ByteBuf in) {
        if (!in.isReadable()) {
            return new Auth(ReasonCode.SUCCESS, Properties.EMPTY);
        }
        ReasonCode reason = readReason(in, PacketType.AUTH);
        return new Auth(reason, PropertiesWire.read(in, PacketType.AUTH));
    }

    private static ReasonCode readReason(ByteBuf in, PacketType type) {
        int b = in.readUnsignedByte();
        ReasonCode c = ReasonCode.of(type, b);
        if (c == null) {
            throw malformed("2.4", "0x" + Integer.toHexString(b) + " is not a reason code of " + type);
        }
        return c;
    }

    private static boolean isPlain(ReasonCode reason, Properties properties) {
        return reason.value() == 0 && properties.isEmpty();
    }

    static int remainingLength(ReasonCode reason, Properties properties) {
        return isPlain(reason, properties) ? 0 : 1 + PropertiesWire.lengthWithPrefix(properties);
    }

    static void write(ReasonCode reason, Properties properties, ByteBuf out) {
        if (!isPlain(reason, properties)) {
            out.writeByte(reason.value());
            PropertiesWire.write(out, properties);
        }
    }
}
