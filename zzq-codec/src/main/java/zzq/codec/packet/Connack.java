package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * CONNACK: the server's answer to CONNECT.
 *
 * <p>A server must not set Session Present on a refusal (MQTT-3.2.2-6; MQTT-3.2.2-4 in 3.1.1). That is a rule
 * for the server that builds the packet, and zzq's broker keeps it; the value itself carries the flag as the
 * wire does, so a client can read a peer that breaks it (the refusal stands and the flag means nothing).
 *
 * @param sessionPresent whether the server resumed a session
 * @param reasonCode     {@link ReasonCode#SUCCESS} or the refusal (3.1.1 return codes map onto these)
 * @param properties     the CONNACK properties (5.0 only)
 */
public record Connack(boolean sessionPresent, ReasonCode reasonCode, Properties properties) implements MqttPacket {
    public Connack {
        Objects.requireNonNull(properties, "properties");
        ReasonCodes.check(reasonCode, PacketType.CONNACK);
        properties.checkAllowedIn(PacketType.CONNACK);
    }

    /** A CONNACK that accepts, without properties. */
    public Connack(boolean sessionPresent) {
        this(sessionPresent, ReasonCode.SUCCESS, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
