package zzq.api.spi;

import java.util.Objects;
import zzq.codec.ReasonCode;

/**
 * Why a connection ended.
 *
 * @param reasonCode the MQTT reason: {@link ReasonCode#NORMAL_DISCONNECTION} for a clean end, the reason of a
 *                   DISCONNECT sent or received, or the reason the engine closed it (keep alive timeout, malformed
 *                   packet, server shutting down)
 * @param byPeer     whether the peer ended it (a DISCONNECT received, or the socket closed or lost)
 * @param lost       whether the network connection ended without a DISCONNECT packet
 * @param detail     a human-readable explanation
 * @param cause      the error behind it, or {@code null}
 */
public record ConnectionEnd(ReasonCode reasonCode, boolean byPeer, boolean lost, String detail, Throwable cause) {
    public ConnectionEnd {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(detail, "detail");
    }
}
