package zzq.codec.packet;

import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * PUBREL: the answer to PUBREC (publish release); its fixed-header flags are 0b0010.
 *
 * @param packetId   the packet identifier of the exchange
 * @param reasonCode the outcome (5.0; always {@link ReasonCode#SUCCESS} in 3.1.1)
 * @param properties the properties (5.0 only): a reason string, user properties
 */
public record Pubrel(int packetId, ReasonCode reasonCode, Properties properties) implements PublishAck {
    public Pubrel {
        PublishAcks.check(PacketType.PUBREL, packetId, reasonCode, properties);
    }

    /** A successful PUBREL without properties. */
    public Pubrel(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
