package zzq.codec.packet;

import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * PUBACK: the answer to a QoS 1 PUBLISH.
 *
 * @param packetId   the packet identifier of the exchange
 * @param reasonCode the outcome (5.0; always {@link ReasonCode#SUCCESS} in 3.1.1)
 * @param properties the properties (5.0 only): a reason string, user properties
 */
public record Puback(int packetId, ReasonCode reasonCode, Properties properties) implements PublishAck {
    public Puback {
        PublishAcks.check(PacketType.PUBACK, packetId, reasonCode, properties);
    }

    /** A successful PUBACK without properties. */
    public Puback(int packetId) {
        this(packetId, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
