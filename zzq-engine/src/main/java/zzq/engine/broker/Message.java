package zzq.engine.broker;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/**
 * An application message inside the broker, shared by every session it goes to.
 *
 * <p>The payload is reference counted and not owned by this value: every holder (a queued or in-flight delivery, the
 * retained store) takes its own {@code retain()} and releases it when done, so one buffer serves all subscribers.
 *
 * @param topic            the topic name (never an alias)
 * @param qos              the QoS it was published with
 * @param retain           the RETAIN flag it was published with
 * @param properties       the properties to forward: without Topic Alias, Subscription Identifiers and Message Expiry
 *                         Interval (each delivery writes its own)
 * @param payload          the payload
 * @param expiresAtNanos   when it expires ({@link System#nanoTime()} scale), or 0 for never
 * @param publisherId      the publishing client's identifier (for No Local), or {@code null} for the broker's own
 */
record Message(String topic, QoS qos, boolean retain, Properties properties, ByteBuf payload, long expiresAtNanos,
               String publisherId) {
    Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(payload, "payload");
    }

    boolean expires() {
        return expiresAtNanos != 0;
    }

    boolean isExpired(long nowNanos) {
        return expiresAtNanos != 0 && nowNanos - expiresAtNanos >= 0;
    }

    /** The whole seconds left before expiry, rounded up, for the forwarded Message Expiry Interval. */
    long remainingSeconds(long nowNanos) {
        long left = expiresAtNanos - nowNanos;
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }
}
