package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;
import static zzq.codec.MalformedPacketException.protocolError;

import io.netty.buffer.ByteBuf;
import zzq.codec.MalformedPacketException;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;

/** CONNECT on the wire (MQTT 5.0 section 3.1, MQTT 3.1.1 section 3.1). It names its own protocol version. */
final class ConnectWire {
    private static final int USERNAME = 0x80;
    private static final int PASSWORD = 0x40;
    private static final int WILL_RETAIN = 0x20;
    private static final int WILL_QOS = 0x18;
    private static final int WILL = 0x04;
    private static final int CLEAN_START = 0x02;
    private static final int RESERVED = 0x01;

    private ConnectWire() {
    }

    static Connect read(ByteBuf in) {
        String protocolName = Utf8.read(in, "protocol name");
        int level = Wire.readUnsignedByte(in, "protocol level");
        if (!protocolName.equals("MQTT") && !protocolName.equals("MQIsdp")) {
            throw protocolError("MQTT-3.1.2-1", "protocol name '" + protocolName + "' is not MQTT or MQIsdp");
        }
        MqttVersion version = MqttVersion.of(protocolName, level);
        if (version == null) {
            throw new MalformedPacketException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "MQTT-3.1.2-2",
                    "protocol level " + level + " with name '" + protocolName + "' is not supported");
        }
        int flags = Wire.readUnsignedByte(in, "connect flags");
        if ((flags & RESERVED) != 0) {
            throw malformed("MQTT-3.1.2-3", "the reserved connect flag must be 0");
        }
        int willQos = (flags & WILL_QOS) >> 3;
        if ((flags & WILL) == 0) {
            if (willQos != 0) {
                throw malformed("MQTT-3.1.2-11", "Will QoS must be 0 when the Will Flag is 0");
            }
            if ((flags & WILL_RETAIN) != 0) {
                throw malformed("MQTT-3.1.2-13", "Will Retain must be 0 when the Will Flag is 0");
            }
        } else if (willQos == 3) {
            throw malformed("MQTT-3.1.2-12", "Will QoS must not be 3");
        }
        if (!version.isV5() && (flags & PASSWORD) != 0 && (flags & USERNAME) == 0) {
            throw malformed("MQTT-3.1.2-22", "MQTT " + version + " allows a password only with a user name");
        }
        int keepAlive = Wire.readUnsignedShort(in, "keep alive");
        Properties properties = version.isV5() ? PropertiesWire.read(in, PacketType.CONNECT) : Properties.EMPTY;

        String clientId = Utf8.read(in, "client identifier");
        Will will = null;
        if ((flags & WILL) != 0) {
            Properties willProperties = version.isV5() ? PropertiesWire.read(in, null) : Properties.EMPTY;
            String topic = Utf8.read(in, "will topic");
            BinaryData payload = PropertiesWire.readBinary(in, "will payload");
            will = new Will(topic, payload, QoS.of(willQos), (flags & WILL_RETAIN) != 0, willProperties);
        }
        String username = (flags & USERNAME) != 0 ? Utf8.read(in, "user name") : null;
        BinaryData password = (flags & PASSWORD) != 0 ? PropertiesWire.readBinary(in, "password") : null;
        return new Connect(version, clientId, (flags & CLEAN_START) != 0, keepAlive, username, password, will,
                properties);
    }

    static int remainingLength(Connect c) {
        MqttVersion v = c.version();
        int n = 2 + v.protocolName().length() + 1 + 1 + 2;
        if (v.isV5()) {
            n += PropertiesWire.lengthWithPrefix(c.properties());
        }
        n += 2 + Utf8.encodedLength(c.clientId());
        Will will = c.will();
        if (will != null) {
            if (v.isV5()) {
                n += PropertiesWire.lengthWithPrefix(will.properties());
            }
            n += 2 + Utf8.encodedLength(will.topic()) + 2 + will.payload().length();
        }
        if (c.username() != null) {
            n += 2 + Utf8.encodedLength(c.username());
        }
        if (c.password() != null) {
            n += 2 + c.password().length();
        }
        return n;
    }

    static void write(Connect c, ByteBuf out) {
        MqttVersion v = c.version();
        Utf8.write(out, v.protocolName());
        out.writeByte(v.level());
        Will will = c.will();
        int flags = (c.username() != null ? USERNAME : 0)
                | (c.password() != null ? PASSWORD : 0)
                | (c.cleanStart() ? CLEAN_START : 0);
        if (will != null) {
            flags |= WILL | will.qos().value() << 3 | (will.retain() ? WILL_RETAIN : 0);
        }
        out.writeByte(flags);
        out.writeShort(c.keepAlive());
        if (v.isV5()) {
            PropertiesWire.write(out, c.properties());
        }
        Utf8.write(out, c.clientId());
        if (will != null) {
            if (v.isV5()) {
                PropertiesWire.write(out, will.properties());
            }
            Utf8.write(out, will.topic());
            PropertiesWire.writeBinary(out, will.payload());
        }
        if (c.username() != null) {
            Utf8.write(out, c.username());
        }
        if (c.password() != null) {
            PropertiesWire.writeBinary(out, c.password());
        }
    }
}
