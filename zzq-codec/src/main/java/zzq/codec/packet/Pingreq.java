package zzq.codec.packet;

import zzq.codec.PacketType;

/** PINGREQ: the client is alive, and asks whether the server is. */
public record Pingreq() implements MqttPacket {
    /** The one PINGREQ; it has no fields. */
    public static final Pingreq INSTANCE = new Pingreq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
