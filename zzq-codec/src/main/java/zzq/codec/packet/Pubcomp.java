package zzq.codec.packet;

import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * PUBCOMP: the answer to PUBREL, which ends a QoS 2 exchange (publish complete).
 *
 * @param packetId   the packet identifier of the exchange
 * @param reasonCode the outcome (5.0; always {@link ReasonCode#SUCCESS} in 3.1.1)
 * @param properties the properties (5.0 only): a reason string, user properties
 */
public record Pubcomp(int packetId, ReasonCode reasonCode, Properties properties) implements PublishAck {
    public Pubcomp {
        PublishAcks.check(PacketType.PUBCOMP, packetId, reasonCode, properties);
    }

    /** A successful PUBCOMP without properties. */
    public Pubcomp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
