package zzq.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import zzq.codec.PacketType;
import zzq.codec.QoS;
import zzq.codec.Topics;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/**
 * An MQTT Application Message: what a {@link Client} publishes and what its {@link Subscription}s receive.
 * Immutable.
 *
 * <p>The payload is held, not copied: {@link #of(String, byte[])} wraps the caller's array, which must not change
 * afterwards. A received message's payload is the client's own copy, taken once off the network buffer so that
 * an application may keep messages as long as it likes without pinning pooled memory.
 *
 * <p>The 5.0 properties a publisher may set (Payload Format Indicator, Message Expiry Interval, Content Type,
 * Response Topic, Correlation Data, User Properties) travel in {@link #properties()}; a received message also
 * carries the Subscription Identifiers the application gave the subscriptions it matched. Topic aliases, and the
 * identifiers the client chooses itself, are the client's business and never appear here.
 */
public final class ApplicationMessage {
    private final String topic;
    private final ByteBuffer payload;
    private final QoS qos;
    private final boolean retain;
    private final boolean dup;
    private final Properties properties;

    private ApplicationMessage(String topic, ByteBuffer payload, QoS qos, boolean retain, boolean dup,
                               Properties properties) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.dup = dup;
        this.properties = properties;
    }

    /** A QoS 0 message, not retained, without properties; the array is wrapped, not copied. */
    public static ApplicationMessage of(String topic, byte[] payload) {
        return builder(topic).payload(payload).build();
    }

    /** A QoS 0 message whose payload is {@code text} in UTF-8. */
    public static ApplicationMessage of(String topic, String text) {
        return of(topic, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A builder for a message to {@code topic} (a topic name: no wildcards). */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** A builder starting from this message. */
    public Builder toBuilder() {
        Builder b = new Builder(topic);
        b.payload = payload;
        b.qos = qos;
        b.retain = retain;
        b.properties = properties;
        return b;
    }

    /**
     * A message as a subscription delivers it, with the DUP flag the broker set. The client builds these; tests of
     * code that consumes messages may too. The array is wrapped, not copied.
     */
    public static ApplicationMessage received(String topic, byte[] payload, QoS qos, boolean retain, boolean dup,
                                       Properties properties) {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        return new ApplicationMessage(topic, ByteBuffer.wrap(payload).asReadOnlyBuffer(), qos, retain, dup,
                properties);
    }

    /** The topic name. */
    public String topic() {
        return topic;
    }

    /** The payload, as a read-only buffer of its own position (a new view on each call; no copy). */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /** The payload's length in bytes. */
    public int payloadSize() {
        return payload.remaining();
    }

    /** A copy of the payload. */
    public byte[] payloadAsBytes() {
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        return copy;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
    }

    /** The QoS: as requested when publishing, as delivered (never above the subscription's) when received. */
    public QoS qos() {
        return qos;
    }

    /** The RETAIN flag. */
    public boolean retain() {
        return retain;
    }

    /**
     * Whether the broker marked a received message as a possible re-delivery (DUP). A QoS 2 message is still
     * delivered once only; a QoS 1 message with DUP may have been seen before.
     */
    public boolean dup() {
        return dup;
    }

    /** The 5.0 properties (empty in 3.1.1). */
    public Properties properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "ApplicationMessage[" + topic + ", " + payload.remaining() + " bytes, " + qos
                + (retain ? ", retained" : "") + (dup ? ", dup" : "")
                + (properties.isEmpty() ? "" : ", " + properties) + "]";
    }

    /** Builds an {@link ApplicationMessage}; each setter checks its value. */
    public static final class Builder {
        private final String topic;
        private ByteBuffer payload = ByteBuffer.allocate(0);
        private QoS qos = QoS.AT_MOST_ONCE;
        private boolean retain;
        private Properties properties = Properties.EMPTY;

        private Builder(String topic) {
            Topics.checkName(Objects.requireNonNull(topic, "topic"));
            this.topic = topic;
        }

        /** The payload; the array is wrapped, not copied, and must not change afterwards. */
        public Builder payload(byte[] bytes) {
            payload = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            return this;
        }

        /** The payload: the remaining bytes of {@code buffer}, shared (not copied); it must not change afterwards. */
        public Builder payload(ByteBuffer buffer) {
            payload = buffer.asReadOnlyBuffer();
            return this;
        }

        /** The payload as UTF-8 text. */
        public Builder payload(String text) {
            return payload(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The QoS (default 0). */
        public Builder qos(QoS value) {
            qos = Objects.requireNonNull(value, "qos");
            return this;
        }

        /** Whether the broker keeps it as the topic's retained message (default false). */
        public Builder retain(boolean value) {
            retain = value;
            return this;
        }

        /**
         * The 5.0 PUBLISH properties. Topic Alias and Subscription Identifier are refused: the client manages
         * aliases itself, and subscription identifiers only travel from the broker.
         */
        public Builder properties(Properties value) {
            Objects.requireNonNull(value, "properties");
            value.checkAllowedIn(PacketType.PUBLISH);
            if (value.contains(PropertyId.TOPIC_ALIAS)) {
                throw new IllegalArgumentException("the client assigns topic aliases itself; do not set one");
            }
            if (value.contains(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
                throw new IllegalArgumentException("a Subscription Identifier is never sent in a client's PUBLISH");
            }
            properties = value;
            return this;
        }

        /** The message. */
        public ApplicationMessage build() {
            return new ApplicationMessage(topic, payload, qos, retain, false, properties);
        }
    }
}
