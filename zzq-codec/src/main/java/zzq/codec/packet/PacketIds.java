package zzq.codec.packet;

import zzq.codec.MalformedPacketException;

/** The rule every packet identifier obeys: a non-zero 16-bit number (MQTT-2.2.1-3). */
final class PacketIds {
    private PacketIds() {
    }

    static void check(int packetId, String packet) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw MalformedPacketException.protocolError("MQTT-2.2.1-3",
                    packet + " needs a packet identifier from 1 to 65535, not " + packetId);
        }
    }
}
