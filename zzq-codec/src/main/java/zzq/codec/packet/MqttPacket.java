package zzq.codec.packet;

import zzq.codec.PacketType;

/**
 * An MQTT control packet as an immutable value. One record per packet type; the fields are MQTT 5.0's, and an
 * MQTT 3.1.1 packet is the same value with no properties and the reason codes 3.1.1 implies.
 *
 * <p>Constructors validate what the specification requires of the packet on its own and throw
 * {@link zzq.codec.MalformedPacketException} (an {@link IllegalArgumentException}) naming the rule broken.
 */
public sealed interface MqttPacket
        permits Connect, Connack, Publish, PublishAck, Subscribe, Suback, Unsubscribe, Unsuback,
        Pingreq, Pingresp, Disconnect, Auth {

    /** The packet's type. */
    PacketType type();
}
