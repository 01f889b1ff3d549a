package zzq.api.spi;

import zzq.api.Endpoint;

/** A bound, accepting socket of a {@link Transport}. */
public interface Listener extends AutoCloseable {
    /** The endpoint actually bound: port 0 replaced by the real port, the default port filled in. */
    Endpoint endpoint();

    /** Stops accepting and unbinds; returns once the socket is closed. Idempotent. Accepted channels stay open. */
    @Override
    void close();
}
