package zzq.codec.packet;

import java.util.List;
import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.Topics;
import zzq.codec.property.Properties;

/**
 * UNSUBSCRIBE: one or more topic filters to remove (MQTT-3.10.3-2); its fixed-header flags are 0b0010.
 *
 * @param packetId   the packet identifier
 * @param filters    the topic filters, at least one
 * @param properties the properties (5.0 only): user properties
 */
public record Unsubscribe(int packetId, List<String> filters, Properties properties) implements MqttPacket {
    public Unsubscribe {
        PacketIds.check(packetId, PacketType.UNSUBSCRIBE);
        filters = List.copyOf(filters);
        if (filters.isEmpty()) {
            throw MalformedPacketException.protocolError("MQTT-3.10.3-2",
                    "an UNSUBSCRIBE needs at least one topic filter");
        }
        filters.forEach(Topics::checkFilter);
        Objects.requireNonNull(properties, "properties").checkAllowedIn(PacketType.UNSUBSCRIBE);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
