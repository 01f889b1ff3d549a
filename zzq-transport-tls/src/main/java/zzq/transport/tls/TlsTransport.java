package zzq.transport.tls;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;
import zzq.transport.tcp.TcpTransport;

/**
 * MQTT over TLS: {@code mqtts://host:port}, default port 8883, with the settings of {@link TlsOptions}. It is the
 * TCP transport's sockets with TLS handlers in front of the engine's.
 *
 * <p>A listener reads its certificate and key when it binds (a bad file, password or key fails the bind), and
 * hands each accepted channel to the engine at once: the engine's connect timeout covers the handshake, and a
 * failed handshake ends the connection with an {@link javax.net.ssl.SSLHandshakeException} saying why. A dial
 * hands its channel to the engine only after the handshake; a failed one fails the dial with the reason.
 */
public final class TlsTransport implements Transport {
    /** The IANA port of MQTT over TLS. */
    public static final int DEFAULT_PORT = 8883;

    private final TcpTransport tcp = new TcpTransport();

    @Override
    public Set<String> schemes() {
        return Set.of("mqtts");
    }

    @Override
    public int defaultPort(String scheme) {
        return DEFAULT_PORT;
    }

    @Override
    public Set<TransportOption<?>> supportedOptions() {
        return TlsOptions.ALL;
    }

    @Override
    public Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) throws IOException {
        TlsHandlers.checkServer(options); // every file read and checked now, not at the first connection
        return tcp.bind(endpoint.withPort(endpoint.portOr(DEFAULT_PORT)), TransportOptions.NONE,
                around(context, (ch, at) -> {
                    TlsHandlers.addServerHandlers(ch.pipeline(), options);
                    context.initialize(ch, at);
                }));
    }

    /**
     * Dials {@code endpoint}. Bad settings (a missing file, a wrong password) are thrown at once, as
     * {@link IllegalArgumentException} or {@link UncheckedIOException}; a failed handshake fails the future with an
     * {@link javax.net.ssl.SSLHandshakeException} whose message says why.
     */
    @Override
    public Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context) {
        try {
            TlsHandlers.checkClient(options); // read afresh at each dial: renewed files are picked up
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        Endpoint dialed = endpoint.withPort(endpoint.portOr(DEFAULT_PORT));
        Promise<Channel> promise = context.group().next().newPromise();
        tcp.connect(dialed, TransportOptions.NONE, around(context, (ch, at) -> {
            // the engine gets the channel once TLS is up: a failed handshake fails the dial, with why
            TlsHandlers.addClientHandlers(ch.pipeline(), options, dialed).addListener((Future<Channel> handshake) -> {
                if (handshake.isSuccess()) {
                    context.initialize(ch, endpoint);
                    promise.trySuccess(ch);
                } else {
                    promise.tryFailure(handshake.cause());
                }
            });
            ch.closeFuture().addListener(closed -> promise.tryFailure(new SSLException(
                    "TLS handshake with " + dialed + " failed: the connection closed")));
        })).addListener((Future<Channel> connected) -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
            }
        });
        return promise;
    }

    /** {@code context} with another hand-off of each new channel: TLS's handlers go in first. */
    private static TransportContext around(TransportContext context, BiConsumer<Channel, Endpoint> initialize) {
        return new TransportContext() {
            @Override
            public EventLoopGroup group() {
                return context.group();
            }

            @Override
            public Class<? extends ServerChannel> serverSocketChannelType() {
                return context.serverSocketChannelType();
            }

            @Override
            public Class<? extends Channel> socketChannelType() {
                return context.socketChannelType();
            }

            @Override
            public void initialize(Channel channel, Endpoint endpoint) {
                initialize.accept(channel, endpoint);
            }
        };
    }
}
