package zzq.transport.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Set;
import javax.net.ssl.SSLException;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;

/**
 * MQTT over TLS: {@code mqtts://host:port}, default port 8883, with the settings of {@link TlsOptions}.
 *
 * <p>A listener reads its certificate and key when it binds (a bad file, password or key fails the bind), and
 * hands each accepted channel to the engine at once: the engine's connect timeout covers the handshake, and a
 * failed handshake ends the connection with an {@link javax.net.ssl.SSLHandshakeException} saying why. A dial
 * hands its channel to the engine only after the handshake; a failed one fails the dial with the reason.
 */
public final class TlsTransport implements Transport {
    /** The IANA port of MQTT over TLS. */
    public static final int DEFAULT_PORT = 8883;
    /** Outbound bytes buffered per connection before it reports itself unwritable (backpressure). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

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
        InetSocketAddress address = endpoint.isWildcardHost()
                ? new InetSocketAddress(endpoint.portOr(DEFAULT_PORT))
                : new InetSocketAddress(endpoint.host(), endpoint.portOr(DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve the host '" + endpoint.host() + "' of " + endpoint);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(context.group())
                .channel(context.serverSocketChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        bootstrap.childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                TlsHandlers.addServerHandlers(ch.pipeline(), options);
                context.initialize(ch, endpoint.withPort(((InetSocketAddress) ch.localAddress()).getPort()));
            }
        });
        ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
        }
        Channel server = f.channel();
        Endpoint result = endpoint.withPort(((InetSocketAddress) server.localAddress()).getPort());
        return new Listener() {
            @Override
            public Endpoint endpoint() {
                return result;
            }

            @Override
            public void close() {
                if (server.eventLoop().inEventLoop()) {
                    server.close(); // cannot wait on the loop that does the closing
                    return;
                }
                server.close().awaitUninterruptibly();
                // Java NIO frees a registered channel's socket only when its selector next runs: let the loop
                // turn (twice) behind the close, so the port is free in all but the rarest case when this returns
                for (int turn = 0; turn < 2; turn++) {
                    server.eventLoop().submit(() -> { }).awaitUninterruptibly();
                }
            }
        };
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
        Promise<Channel> promise = context.group().next().newPromise();
        Endpoint dialed = endpoint.withPort(endpoint.portOr(DEFAULT_PORT));
        new Bootstrap()
                .group(context.group())
                .channel(context.socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the engine gets the channel once TLS is up: a failed handshake fails the dial, with why
                        TlsHandlers.addClientHandlers(ch.pipeline(), options, dialed).addListener(
                                (Future<Channel> handshake) -> {
                                    if (handshake.isSuccess()) {
                                        context.initialize(ch, endpoint);
                                        promise.trySuccess(ch);
                                    } else {
                                        promise.tryFailure(handshake.cause());
                                    }
                                });
                        ch.closeFuture().addListener(closed -> promise.tryFailure(new SSLException(
                                "TLS handshake with " + dialed + " failed: the connection closed")));
                    }
                })
                .connect(endpoint.host(), endpoint.portOr(DEFAULT_PORT))
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        promise.tryFailure(f.cause());
                    }
                });
        return promise;
    }
}
