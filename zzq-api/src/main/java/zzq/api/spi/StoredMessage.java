package zzq.api.spi;

import java.util.Objects;
import zzq.codec.QoS;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;

/**
 * An application message as a {@link Persistence} backend stores it: immutable, its payload copied.
 *
 * @param topic            the topic name
 * @param qos              the QoS it was published (retained) or is delivered (queued) with
 * @param retain           the RETAIN flag
 * @param properties       the PUBLISH properties as forwarded (Message Expiry Interval excluded: see below)
 * @param payload          the payload
 * @param expiresAtMillis  when the message expires, in epoch milliseconds, or 0 for never
 */
public record StoredMessage(String topic, QoS qos, boolean retain, Properties properties, BinaryData payload,
                            long expiresAtMillis) {
    public StoredMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(payload, "payload");
    }
}
