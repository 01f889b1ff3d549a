package zzq.codec.packet;

import java.util.List;
import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.property.Properties;

/**
 * SUBSCRIBE: one or more subscriptions (MQTT-3.8.3-2); its fixed-header flags are 0b0010.
 *
 * @param packetId      the packet identifier
 * @param subscriptions the filters and their options, in order, at least one
 * @param properties    the properties (5.0 only): a Subscription Identifier, user properties
 */
public record Subscribe(int packetId, List<Subscription> subscriptions, Properties properties)
        implements MqttPacket {
    public Subscribe {
        PacketIds.check(packetId, PacketType.SUBSCRIBE);
        subscriptions = List.copyOf(subscriptions);
        if (subscriptions.isEmpty()) {
            throw MalformedPacketException.protocolError("MQTT-3.8.3-2", "a SUBSCRIBE needs at least one topic filter");
        }
        Objects.requireNonNull(properties, "properties").checkAllowedIn(PacketType.SUBSCRIBE);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
