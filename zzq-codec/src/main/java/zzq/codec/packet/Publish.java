package zzq.codec.packet;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.QoS;
import zzq.codec.Topics;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/**
 * PUBLISH: an application message.
 *
 * <p>The payload is a reference-counted buffer: a decoded PUBLISH holds a retained slice of the bytes it was read
 * from, never a copy, and whoever ends up with the packet releases {@link #payload()} once. Sharing it with
 * several writers means one {@code payload().retain()} per writer.
 *
 * @param topic      the topic name; empty only when a 5.0 Topic Alias stands for it (MQTT-3.3.2-1)
 * @param qos        the QoS
 * @param retain     the RETAIN flag
 * @param dup        the DUP flag: a re-delivery; always false at QoS 0 (MQTT-3.3.1-2)
 * @param packetId   the packet identifier, 1 to 65 535 at QoS 1 and 2, and 0 at QoS 0
 * @param properties the PUBLISH properties (5.0 only)
 * @param payload    the application message
 */
public record Publish(String topic, QoS qos, boolean retain, boolean dup, int packetId, Properties properties,
                      ByteBuf payload) implements MqttPacket {
    public Publish {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(payload, "payload");
        if (topic.isEmpty()) {
            if (!properties.contains(PropertyId.TOPIC_ALIAS)) {
                // "It is a Protocol Error if the Topic Name is zero length and there is no Topic Alias" (3.3.2.1).
                throw MalformedPacketException.protocolError("3.3.2.1",
                        "a PUBLISH with an empty topic name needs a Topic Alias");
            }
        } else {
            Topics.checkName(topic);
        }
        if (qos == QoS.AT_MOST_ONCE) {
            if (dup) {
                throw MalformedPacketException.malformed("MQTT-3.3.1-2", "a QoS 0 PUBLISH must not set DUP");
            }
            if (packetId != 0) {
                throw MalformedPacketException.protocolError("MQTT-2.2.1-2",
                        "a QoS 0 PUBLISH has no packet identifier, not " + packetId);
            }
        } else {
            PacketIds.check(packetId, PacketType.PUBLISH);
        }
        properties.checkAllowedIn(PacketType.PUBLISH);
    }

    /** A QoS 0 PUBLISH without properties. */
    public static Publish atMostOnce(String topic, ByteBuf payload) {
        return new Publish(topic, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY, payload);
    }

    /** This message with another packet identifier and DUP flag, sharing (not retaining) the payload. */
    public Publish withDelivery(int newPacketId, boolean newDup) {
        return new Publish(topic, qos, retain, newDup, newPacketId, properties, payload);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }
}
