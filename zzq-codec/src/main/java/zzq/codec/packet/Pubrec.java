package zzq.codec.packet;

import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * PUBREC: the first answer to a QoS 2 PUBLISH (publish received).
 *
 * @param packetId   the packet identifier of the exchange
 * @param reasonCode the outcome (5.0; always {@link ReasonCode#SUCCESS} in 3.1.1)
 * @param properties the properties (5.0 only): a reason string, user properties
 */
public record Pubrec(int packetId, ReasonCode reasonCode, Properties properties) implements PublishAck {
    public Pubrec {
        PublishAcks.check(PacketType.PUBREC, packetId, reasonCode, properties);
    }

    /** A successful PUBREC without properties. */
    public Pubrec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
