package zzq.codec.packet;

import zzq.codec.PacketType;

/** PINGRESP: the server's answer to PINGREQ. */
public record Pingresp() implements MqttPacket {
    /** The one PINGRESP; it has no fields. */
    public static final Pingresp INSTANCE = new Pingresp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
