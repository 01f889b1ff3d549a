package zzq.persistence.sqlite;

import java.nio.ByteBuffer;
import zzq.api.spi.StoredMessage;
import zzq.codec.QoS;

/**
 * A message as the store writes it, copied out of the caller's {@link StoredMessage} when the change is recorded:
 * the payload may be a view of a buffer that the broker reuses once the call returns.
 *
 * @param topic           the topic name
 * @param qos             the QoS value (0, 1, 2)
 * @param retain          the RETAIN flag
 * @param properties      the properties, as a {@link PropertyBlob}
 * @param payload         a private copy of the payload
 * @param expiresAtMillis when it expires (epoch milliseconds), or 0
 */
record MessageRow(String topic, int qos, boolean retain, byte[] properties, byte[] payload, long expiresAtMillis) {
    /** A copy of a message. */
    static MessageRow of(StoredMessage message) {
        ByteBuffer source = message.payload();
        byte[] payload = new byte[source.remaining()];
        source.get(payload);
        return new MessageRow(message.topic(), message.qos().value(), message.retain(),
                PropertyBlob.encode(message.properties()), payload, message.expiresAtMillis());
    }

    /** The message again, as loaded from the store. */
    StoredMessage toMessage() {
        return new StoredMessage(topic, QoS.of(qos), retain, PropertyBlob.decode(properties), ByteBuffer.wrap(payload),
                expiresAtMillis);
    }

    /** Roughly what it weighs in memory, for bounding a batch. */
    int bytes() {
        return 64 + topic.length() * 2 + properties.length + payload.length;
    }
}
