package zzq.api.spi;

import java.util.Objects;

/**
 * One outbound message of a stored session: queued, sent and unacknowledged, or released (QoS 2 after PUBREC).
 *
 * @param sequence the entry's place in the session's queue; increases, never reused within a session
 * @param packetId the packet identifier it was sent with, or 0 if not sent yet
 * @param released whether a PUBREC was received (only PUBREL/PUBCOMP remain; the message itself is gone)
 * @param message  the message (with the delivery QoS)
 */
public record StoredDelivery(long sequence, int packetId, boolean released, StoredMessage message) {
    public StoredDelivery {
        Objects.requireNonNull(message, "message");
    }
}
