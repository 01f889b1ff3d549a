package zzq.codec.packet;

import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;

/**
 * What the four QoS 1 and QoS 2 acknowledgements share: PUBACK, PUBREC, PUBREL and PUBCOMP each carry a packet
 * identifier, a reason code (5.0) and properties (5.0).
 */
public sealed interface PublishAck extends MqttPacket permits Puback, Pubrec, Pubrel, Pubcomp {
    /** The packet identifier of the exchange. */
    int packetId();

    /** The outcome; always {@link ReasonCode#SUCCESS} in 3.1.1. */
    ReasonCode reasonCode();

    /** The properties (5.0 only). */
    Properties properties();
}
