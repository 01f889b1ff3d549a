package zzq.api.spi;

import java.util.Objects;

/**
 * One outbound message of a stored session: queued, sent and unacknowledged, or released (QoS 2 after PUBREC).
 *
 * @param sequence  the entry's place in the session's queue; increases, never reused within a session
 * @param packetId  the packet identifier it was sent with, or 0 if not sent yet
 * @param released  whether a PUBREC was received (only PUBREL/PUBCOMP remain; the message itself is no longer
 *                  needed)
 * @param messageId the message's identity across sessions: deliveries of one published message to several
 *                  sessions share it (and the same {@code message} content but for QoS and retain), so a backend
 *                  may store the payload once
 * @param message   the message (with the delivery QoS and RETAIN flag)
 */
public record StoredDelivery(long sequence, int packetId, boolean released, long messageId, StoredMessage message) {
    public StoredDelivery {
        Objects.requireNonNull(message, "message");
    }
}
