package zzq.engine;

import java.util.Objects;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.property.Properties;

/**
 * A successful connect, as the CONNACK told it.
 *
 * @param endpoint       the endpoint that answered
 * @param version        the protocol version spoken
 * @param clientId       the client identifier in use (the broker's Assigned Client Identifier when it chose one)
 * @param sessionPresent whether the broker resumed a stored session
 * @param properties     the CONNACK's 5.0 properties: the broker's limits (Receive Maximum, Maximum Packet Size,
 *                       Topic Alias Maximum, Maximum QoS, Server Keep Alive...), empty in 3.1.1
 */
public record ConnectResult(Endpoint endpoint, MqttVersion version, String clientId, boolean sessionPresent,
                            Properties properties) {
    public ConnectResult {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
    }
}
