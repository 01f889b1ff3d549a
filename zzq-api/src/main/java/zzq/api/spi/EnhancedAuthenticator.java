package zzq.api.spi;

import java.util.Set;

/**
 * MQTT 5.0 enhanced authentication (section 4.12): challenge and response over AUTH packets, for the
 * Authentication Methods this authenticator names. A CONNECT with another method is refused with
 * {@code 0x8C Bad authentication method}.
 */
public interface EnhancedAuthenticator {
    /** The Authentication Method names served, such as {@code SCRAM-SHA-256}. */
    Set<String> methods();

    /**
     * Begins an exchange, for a CONNECT or for a re-authentication (an AUTH with reason 0x19). The exchange's first
     * {@link AuthExchange#step} receives the Authentication Data of that packet.
     */
    AuthExchange begin(String method, ConnectRequest request);
}
