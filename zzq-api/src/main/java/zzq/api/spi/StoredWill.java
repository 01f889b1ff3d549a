package zzq.api.spi;

import java.util.Objects;

/**
 * A will message waiting for its Will Delay Interval (MQTT 5.0 section 3.1.3.2.2) after its client disconnected.
 *
 * @param message         the will: topic, QoS, retain, payload, and its properties as the client sent them (with
 *                        Message Expiry Interval, which counts from publication); {@code expiresAtMillis} is 0
 * @param publishAtMillis when it is due, in epoch milliseconds; a broker that starts later publishes it at start
 *                        (unless the client has come back first)
 */
public record StoredWill(StoredMessage message, long publishAtMillis) {
    public StoredWill {
        Objects.requireNonNull(message, "message");
    }
}
