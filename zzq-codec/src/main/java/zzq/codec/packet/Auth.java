package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * AUTH (5.0 only): one step of an enhanced authentication or re-authentication exchange.
 *
 * @param reasonCode {@link ReasonCode#SUCCESS}, {@link ReasonCode#CONTINUE_AUTHENTICATION} or
 *                   {@link ReasonCode#RE_AUTHENTICATE}
 * @param properties the Authentication Method and Data, a reason string, user properties
 */
public record Auth(ReasonCode reasonCode, Properties properties) implements MqttPacket {
    public Auth {
        ReasonCodes.check(reasonCode, PacketType.AUTH);
        Objects.requireNonNull(properties, "properties").checkAllowedIn(PacketType.AUTH);
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
