package zzq.api.spi;

import java.util.Objects;

/**
 * Who a connected client is, as authorization sees it.
 *
 * @param clientId          the client identifier (assigned by the broker if the client sent none)
 * @param username          the authenticated user name, or {@code null} for an anonymous client
 * @param transportIdentity the identity the transport established (a TLS client certificate's subject), or
 *                          {@code null}
 */
public record ClientIdentity(String clientId, String username, String transportIdentity) {
    public ClientIdentity {
        Objects.requireNonNull(clientId, "clientId");
    }
}
