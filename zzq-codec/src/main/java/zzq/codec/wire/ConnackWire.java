package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.property.Properties;

/** CONNACK on the wire: acknowledge flags, then a 3.1.1 return code or a 5.0 reason code and properties. */
final class ConnackWire {
    private ConnackWire() {
    }

    static Connack read(ByteBuf in, MqttVersion v) {
        int flags = Wire.readUnsignedByte(in, "connect acknowledge flags");
        if ((flags & 0xFE) != 0) {
            throw malformed("MQTT-3.2.2-1", "connect acknowledge flags 7-1 are reserved and must be 0");
        }
        int code = Wire.readUnsignedByte(in, v.isV5() ? "reason code" : "return code");
        ReasonCode reason = v.isV5() ? ReasonCode.of(PacketType.CONNACK, code) : ReasonCode.fromV3ConnackCode(code);
        if (reason == null) {
            throw malformed(v.isV5() ? "3.2.2.2" : "3.2.2.3",
                    "0x" + Integer.toHexString(code) + " is not a CONNACK " + (v.isV5() ? "reason" : "return") + " code");
        }
        Properties properties = v.isV5() ? PropertiesWire.read(in, PacketType.CONNACK) : Properties.EMPTY;
        return new Connack((flags & 1) != 0, reason, properties);
    }

    static int remainingLength(Connack c, MqttVersion v) {
        return 2 + (v.isV5() ? PropertiesWire.lengthWithPrefix(c.properties()) : 0);
    }

    static void write(Connack c, MqttVersion v, ByteBuf out) {
        out.writeByte(c.sessionPresent() ? 1 : 0);
        if (v.isV5()) {
            out.writeByte(c.reasonCode().value());
            PropertiesWire.write(out, c.properties());
        } else {
            out.writeByte(c.reasonCode().toV3ConnackCode());
        }
    }
}
