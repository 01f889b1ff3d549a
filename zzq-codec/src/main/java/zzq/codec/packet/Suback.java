package zzq.codec.packet;

import java.util.List;
import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * SUBACK: one reason code per filter of the SUBSCRIBE it answers, in order (MQTT-3.8.4-6).
 *
 * @param packetId    the SUBSCRIBE's packet identifier
 * @param reasonCodes the granted QoS or the failure, per filter (3.1.1's 0x80 is {@link ReasonCode#UNSPECIFIED_ERROR})
 * @param properties  the properties (5.0 only)
 */
public record Suback(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements MqttPacket {
    public Suback {
        PacketIds.check(packetId, PacketType.SUBACK);
        reasonCodes = List.copyOf(reasonCodes);
        if (reasonCodes.isEmpty()) {
            throw MalformedPacketException.protocolError("MQTT-3.8.4-6", "a SUBACK needs one reason code per filter");
        }
        reasonCodes.forEach(c -> ReasonCodes.check(c, PacketType.SUBACK));
        Objects.requireNonNull(properties, "properties").checkAllowedIn(PacketType.SUBACK);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
