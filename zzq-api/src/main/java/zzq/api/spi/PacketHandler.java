package zzq.api.spi;

import zzq.codec.packet.MqttPacket;

/** Receives one connection's packets and its end, on the connection's event loop. */
public interface PacketHandler {
    /**
     * A decoded packet. The handler owns it: a PUBLISH's payload must be released (or handed on) exactly once.
     * An exception thrown here closes the connection, as a malformed packet would.
     */
    void packet(MqttPacket packet);

    /** The connection's outbound buffer filled up ({@code false}) or drained again ({@code true}). */
    default void writabilityChanged(boolean writable) {
    }

    /** The connection ended, deliberately or not; called exactly once, as the last call. */
    void ended(ConnectionEnd end);
}
