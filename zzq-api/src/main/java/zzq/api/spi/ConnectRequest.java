package zzq.api.spi;

import java.net.SocketAddress;
import java.util.Objects;
import zzq.codec.MqttVersion;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;

/**
 * What a client presents when it connects, for an {@link Authenticator}.
 *
 * @param version           the protocol version of the CONNECT
 * @param clientId          the client identifier (after assignment, if the client sent none)
 * @param username          the user name, or {@code null}
 * @param password          the password, or {@code null}
 * @param transportIdentity the identity the transport established (TLS client certificate), or {@code null}
 * @param remoteAddress     the peer's address
 * @param properties        the CONNECT properties (5.0), for user properties and the like
 */
public record ConnectRequest(MqttVersion version, String clientId, String username, BinaryData password,
                             String transportIdentity, SocketAddress remoteAddress, Properties properties) {
    public ConnectRequest {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
    }
}
