package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.QoS;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;

/**
 * PUBLISH on the wire: DUP, QoS and RETAIN in the fixed-header flags, then the topic, a packet identifier at QoS
 * 1 and 2, 5.0 properties, and the payload, which runs to the end of the packet and is sliced, never copied.
 */
final class PublishWire {
    private PublishWire() {
    }

    static Publish read(int flags, ByteBuf in, MqttVersion v) {
        int qosBits = (flags >> 1) & 3;
        if (qosBits == 3) {
            throw malformed("MQTT-3.3.1-4", "a PUBLISH must not have both QoS bits set");
        }
        boolean dup = (flags & 0x08) != 0;
        if (dup && qosBits == 0) {
            throw malformed("MQTT-3.3.1-2", "a QoS 0 PUBLISH must not set DUP");
        }
        QoS qos = QoS.of(qosBits);
        String topic = Utf8.read(in, "topic name");
        int packetId = qos == QoS.AT_MOST_ONCE ? 0 : Wire.readUnsignedShort(in, "packet identifier");
        Properties properties = v.isV5() ? PropertiesWire.read(in, PacketType.PUBLISH) : Properties.EMPTY;
        if (!v.isV5() && topic.isEmpty()) {
            throw malformed("MQTT-4.7.3-1", "a topic name must be at least one character long");
        }
        ByteBuf payload = in.readRetainedSlice(in.readableBytes());
        try {
            return new Publish(topic, qos, (flags & 1) != 0, dup, packetId, properties, payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
    }

    static int flags(Publish p) {
        return (p.dup() ? 0x08 : 0) | p.qos().value() << 1 | (p.retain() ? 1 : 0);
    }

    /** The bytes before the payload: topic, packet identifier, properties. */
    static int headerLength(Publish p, MqttVersion v) {
        int n = 2 + Utf8.encodedLength(p.topic());
        if (p.qos() != QoS.AT_MOST_ONCE) {
            n += 2;
        }
        if (v.isV5()) {
            n += PropertiesWire.lengthWithPrefix(p.properties());
        } else if (p.topic().isEmpty()) {
            throw new IllegalArgumentException("MQTT " + v + " has no topic aliases: a PUBLISH needs its topic");
        }
        return n;
    }

    static void writeHeader(Publish p, MqttVersion v, ByteBuf out) {
        Utf8.write(out, p.topic());
        if (p.qos() != QoS.AT_MOST_ONCE) {
            out.writeShort(p.packetId());
        }
        if (v.isV5()) {
            PropertiesWire.write(out, p.properties());
        }
    }
}
