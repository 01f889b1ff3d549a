package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * DISCONNECT: the last packet of a connection. A 3.1.1 DISCONNECT is sent by the client only and carries nothing;
 * in 5.0 either side may send one, with a reason code and properties.
 *
 * @param reasonCode why the connection ends
 * @param properties the properties (5.0 only): Session Expiry Interval, reason string, server reference
 */
public record Disconnect(ReasonCode reasonCode, Properties properties) implements MqttPacket {
    /** A normal disconnection without properties: all a 3.1.1 DISCONNECT can say. */
    public static final Disconnect NORMAL = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY);

    public Disconnect {
        ReasonCodes.check(reasonCode, PacketType.DISCONNECT);
        Objects.requireNonNull(properties, "properties").checkAllowedIn(PacketType.DISCONNECT);
    }

    /** A DISCONNECT with this reason and no properties. */
    public Disconnect(ReasonCode reasonCode) {
        this(reasonCode, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
