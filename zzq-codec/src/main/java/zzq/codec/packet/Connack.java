package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * CONNACK: the server's answer to CONNECT.
 *
 * @param sessionPresent whether the server resumed a session; never with a refusal (MQTT-3.2.2-6)
 * @param reasonCode     {@link ReasonCode#SUCCESS} or the refusal (3.1.1 return codes map onto these)
 * @param properties     the CONNACK properties (5.0 only)
 */
public record Connack(boolean sessionPresent, ReasonCode reasonCode, Properties properties) implements MqttPacket {
    public Connack {
        Objects.requireNonNull(properties, "properties");
        ReasonCodes.check(reasonCode, PacketType.CONNACK);
        if (sessionPresent && reasonCode.isError()) {
            throw MalformedPacketException.protocolError("MQTT-3.2.2-6",
                    "a CONNACK that refuses (" + reasonCode + ") must not set Session Present");
        }
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
