package zzq.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOptions;

/**
 * MQTT over plain TCP: {@code mqtt://host:port} and its synonym {@code tcp://}, default port 1883. The host may be
 * a name, IPv4, IPv6, {@code 0.0.0.0} (all IPv4 interfaces) or {@code *} (every interface, both families).
 */
public final class TcpTransport implements Transport {
    /** The IANA port of MQTT over TCP. */
    public static final int DEFAULT_PORT = 1883;
    /** Outbound bytes buffered per connection before it reports itself unwritable (backpressure). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

    @Override
    public Set<String> schemes() {
        return Set.of("mqtt", "tcp");
    }

    @Override
    public int defaultPort(String scheme) {
        return DEFAULT_PORT;
    }

    @Override
    public Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) throws IOException {
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
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // the listener's real port (port 0 resolved) is the accepted socket's local port
                context.initialize(ch, endpoint.withPort(ch.localAddress().getPort()));
            }
        });
        ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
        }
        Channel server = f.channel();
        InetSocketAddress local = (InetSocketAddress) server.localAddress();
        Endpoint result = endpoint.withPort(local.getPort());
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

    @Override
    public Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context) {
        Promise<Channel> promise = context.group().next().newPromise();
        new Bootstrap()
                .group(context.group())
                .channel(context.socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        context.initialize(ch, endpoint);
                    }
                })
                .connect(endpoint.host(), endpoint.portOr(DEFAULT_PORT))
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        promise.trySuccess(f.channel());
                    } else {
                        promise.tryFailure(f.cause());
                    }
                });
        return promise;
    }
}
