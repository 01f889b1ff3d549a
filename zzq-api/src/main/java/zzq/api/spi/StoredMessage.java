package zzq.api.spi;

import java.nio.ByteBuffer;
import java.util.Objects;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/**
 * An application message as a {@link Persistence} backend sees it.
 *
 * @param topic            the topic name
 * @param qos              the QoS it was published (retained) or is delivered (queued) with
 * @param retain           the RETAIN flag
 * @param properties       the PUBLISH properties as forwarded (without Message Expiry Interval: see {@code expiresAtMillis})
 * @param payload          the payload, read-only (a backend copies what it keeps beyond the call)
 * @param expiresAtMillis  when the message expires, in epoch milliseconds, or 0 for never
 */
public record StoredMessage(String topic, QoS qos, boolean retain, Properties properties, ByteBuffer payload,
                            long expiresAtMillis) {
    public StoredMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        payload = Objects.requireNonNull(payload, "payload").asReadOnlyBuffer();
    }

    /** The payload: a fresh read-only view each time, so reading it never moves anyone else's position. */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }
}
