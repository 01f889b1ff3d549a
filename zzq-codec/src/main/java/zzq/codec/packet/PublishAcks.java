package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/** What PUBACK, PUBREC, PUBREL and PUBCOMP share: a packet identifier, a reason code and properties. */
final class PublishAcks {
    private PublishAcks() {
    }

    static void check(PacketType type, int packetId, ReasonCode reasonCode, Properties properties) {
        PacketIds.check(packetId, type);
        ReasonCodes.check(reasonCode, type);
        Objects.requireNonNull(properties, "properties").checkAllowedIn(type);
    }
}
