package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Pubrel;
import zzq.codec.property.Properties;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP on the wire: a packet identifier, then in 5.0 a reason code and properties,
 * which may be left out (remaining length 2: Success; 3: no properties).
 */
final class PublishAckWire {
    private PublishAckWire() {
    }

    static MqttPacket read(PacketType type, ByteBuf in, MqttVersion v) {
        int packetId = Wire.readUnsignedShort(in, "packet identifier");
        ReasonCode reason = ReasonCode.SUCCESS;
        Properties properties = Properties.EMPTY;
        if (v.isV5() && in.isReadable()) {
            int code = in.readUnsignedByte();
            reason = ReasonCode.of(type, code);
            if (reason == null) {
                throw malformed("2.4", "0x" + Integer.toHexString(code) + " is not a reason code of " + type);
            }
            if (in.isReadable()) {
                properties = PropertiesWire.read(in, type);
            }
        }
        return switch (type) {
            case PUBACK -> new Puback(packetId, reason, properties);
            case PUBREC -> new Pubrec(packetId, reason, properties);
            case PUBREL -> new Pubrel(packetId, reason, properties);
            case PUBCOMP -> new Pubcomp(packetId, reason, properties);
            default -> throw new IllegalArgumentException(type + " is not a publish acknowledgement");
        };
    }

    private static boolean isPlain(PublishAck ack, MqttVersion v) {
        return !v.isV5() || (ack.reasonCode() == ReasonCode.SUCCESS && ack.properties().isEmpty());
    }

    static int remainingLength(PublishAck ack, MqttVersion v) {
        if (isPlain(ack, v)) {
            return 2;
        }
        return ack.properties().isEmpty() ? 3 : 3 + PropertiesWire.lengthWithPrefix(ack.properties());
    }

    static void write(PublishAck ack, MqttVersion v, ByteBuf out) {
        out.writeShort(ack.packetId());
        if (isPlain(ack, v)) {
            return;
        }
        out.writeByte(ack.reasonCode().value());
        if (!ack.properties().isEmpty()) {
            PropertiesWire.write(out, ack.properties());
        }
    }
}
