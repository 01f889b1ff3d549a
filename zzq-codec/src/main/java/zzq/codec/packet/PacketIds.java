package zzq.codec.packet;

import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;

/** The rule every packet identifier obeys: a non-zero 16-bit number (MQTT-2.2.1-3). */
final class PacketIds {
    private PacketIds() {
    }

    /** Checks the identifier; the message is built only on failure, since every QoS 1/2 PUBLISH passes here. */
    static void check(int packetId, PacketType packet) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw MalformedPacketException.protocolError("MQTT-2.2.1-3",
                    packet + " needs a packet identifier from 1 to 65535, not " + packetId);
        }
    }
}
