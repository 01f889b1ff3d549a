package zzq.api.spi;

import zzq.codec.ReasonCode;

/**
 * Decides whether a client may connect with the user name, password and transport identity it presents (a CONNECT
 * without an MQTT 5.0 Authentication Method). Called on the connection's event loop: an implementation that has to
 * wait for something should not; it may be slow only in CPU (a password hash).
 */
@FunctionalInterface
public interface Authenticator {
    /** Lets every client in, as an anonymous broker does. */
    Authenticator ALLOW_ALL = request -> null;

    /**
     * Returns {@code null} (or {@link ReasonCode#SUCCESS}) to accept, or the reason to refuse: {@link ReasonCode#BAD_USER_NAME_OR_PASSWORD},
     * {@link ReasonCode#NOT_AUTHORIZED}, {@link ReasonCode#BANNED} and so on (folded onto a 3.1.1 return code for
     * 3.1.1 clients).
     */
    ReasonCode authenticate(ConnectRequest request);
}
