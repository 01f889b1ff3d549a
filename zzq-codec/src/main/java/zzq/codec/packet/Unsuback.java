package zzq.codec.packet;

import java.util.List;
import java.util.Objects;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * UNSUBACK: the answer to UNSUBSCRIBE.
 *
 * @param packetId    the UNSUBSCRIBE's packet identifier
 * @param reasonCodes 5.0: one reason code per filter, in order; 3.1.1 carries none, so the list is empty
 * @param properties  the properties (5.0 only)
 */
public record Unsuback(int packetId, List<ReasonCode> reasonCodes, Properties properties) implements MqttPacket {
    public Unsuback {
        PacketIds.check(packetId, PacketType.UNSUBACK);
        reasonCodes = List.copyOf(reasonCodes);
        reasonCodes.forEach(c -> ReasonCodes.check(c, PacketType.UNSUBACK));
        Objects.requireNonNull(properties, "properties").checkAllowedIn(PacketType.UNSUBACK);
    }

    /** A 3.1.1 UNSUBACK, which carries only the packet identifier. */
    public Unsuback(int packetId) {
        this(packetId, List.of(), Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
