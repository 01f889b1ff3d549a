package zzq.api.spi;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.Set;
import zzq.api.Endpoint;

/**
 * A way to carry MQTT bytes, found by the URL scheme of an {@link Endpoint}: a transport turns an endpoint into a
 * listening socket or a dialed connection, both Netty {@link Channel}s.
 *
 * <p>A transport module declares {@code provides zzq.api.spi.Transport with ...;} in its module-info (and lists
 * the class in {@code META-INF/services/zzq.api.spi.Transport} for the class path). The engine loads every provider
 * once and keys them by {@link #schemes()}; two providers of one scheme are an error.
 *
 * <p>A transport adds its own handlers (TLS, WebSocket framing) to each channel's pipeline, then hands the channel
 * to {@link TransportContext#initialize}: from there on the channel carries MQTT bytes as {@code ByteBuf}s both
 * ways, and the engine owns it. A transport never sees an MQTT packet.
 */
public interface Transport {
    /** The URL schemes this transport serves, in lower case, such as {@code mqtt} and {@code tcp}. */
    Set<String> schemes();

    /** The port an endpoint of this scheme uses when its URL names none, or -1 when the scheme has no ports. */
    int defaultPort(String scheme);

    /** The options this transport understands; any other option given for its schemes is an error. */
    default Set<TransportOption<?>> supportedOptions() {
        return Set.of();
    }

    /**
     * Starts listening on {@code endpoint}, handing each accepted channel to {@link TransportContext#initialize}.
     * Returns once the socket is bound.
     *
     * @throws IOException when the endpoint cannot be bound (address in use, no such interface, permission)
     */
    Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) throws IOException;

    /**
     * Dials {@code endpoint}; the future completes with the connected channel, already handed to
     * {@link TransportContext#initialize}, or fails with the reason.
     */
    Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context);
}
