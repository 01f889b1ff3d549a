package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;
import static zzq.codec.MalformedPacketException.protocolError;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Unsuback;
import zzq.codec.property.Properties;

/**
 * SUBACK and UNSUBACK on the wire: a packet identifier, 5.0 properties, then one code per filter to the end.
 * A 3.1.1 SUBACK carries return codes 0, 1, 2 or 0x80 (MQTT-3.9.3-2); a 3.1.1 UNSUBACK carries no codes at all.
 */
final class SubackWire {
    private SubackWire() {
    }

    static Suback readSuback(ByteBuf in, MqttVersion v) {
        int packetId = Wire.readUnsignedShort(in, "packet identifier");
        Properties properties = v.isV5() ? PropertiesWire.read(in, PacketType.SUBACK) : Properties.EMPTY;
        if (!v.isV5()) {
            // Checked on the raw bytes, before they are read as 5.0 reason codes: 0x03 or 0x11 is as reserved here
            // as 0x87.
            for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                int b = in.getUnsignedByte(i);
                if (b > 2 && b != 0x80) {
                    throw malformed("MQTT-3.9.3-2", "0x" + Integer.toHexString(b)
                            + " is not an MQTT " + v + " SUBACK return code");
                }
            }
        }
        List<ReasonCode> codes = readCodes(in, PacketType.SUBACK);
        return new Suback(packetId, codes, properties);
    }

    static Unsuback readUnsuback(ByteBuf in, MqttVersion v) {
        int packetId = Wire.readUnsignedShort(in, "packet identifier");
        if (!v.isV5()) {
            return new Unsuback(packetId);
        }
        Properties properties = PropertiesWire.read(in, PacketType.UNSUBACK);
        List<ReasonCode> codes = readCodes(in, PacketType.UNSUBACK);
        if (codes.isEmpty()) {
            throw protocolError("MQTT-3.11.3-1", "an UNSUBACK needs one reason code per topic filter");
        }
        return new Unsuback(packetId, codes, properties);
    }

    private static List<ReasonCode> readCodes(ByteBuf in, PacketType type) {
        List<ReasonCode> codes = new ArrayList<>(in.readableBytes());
        while (in.isReadable()) {
            int b = in.readUnsignedByte();
            ReasonCode c = ReasonCode.of(type, b);
            if (c == null) {
                throw malformed("2.4", "0x" + Integer.toHexString(b) + " is not a reason code of " + type);
            }
            codes.add(c);
        }
        return codes;
    }

    static int remainingLength(Unsuback u, MqttVersion v) {
        if (v.isV5() && u.reasonCodes().isEmpty()) {
            throw new IllegalArgumentException("an MQTT 5.0 UNSUBACK needs one reason code per topic filter");
        }
        return remainingLength(v.isV5() ? u.reasonCodes().size() : 0, u.properties(), v);
    }

    static int remainingLength(int codes, Properties properties, MqttVersion v) {
        return 2 + (v.isV5() ? PropertiesWire.lengthWithPrefix(properties) : 0) + codes;
    }

    static void write(Suback s, MqttVersion v, ByteBuf out) {
        out.writeShort(s.packetId());
        if (v.isV5()) {
            PropertiesWire.write(out, s.properties());
        }
        for (ReasonCode c : s.reasonCodes()) {
            out.writeByte(v.isV5() ? c.value() : c.toV3SubackCode());
        }
    }

    static void write(Unsuback u, MqttVersion v, ByteBuf out) {
        out.writeShort(u.packetId());
        if (v.isV5()) {
            PropertiesWire.write(out, u.properties());
            for (ReasonCode c : u.reasonCodes()) {
                out.writeByte(c.value());
            }
        }
    }
}
