package example.memtcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOptions;

/**
 * {@code memtcp://NAME}: listeners are known by name within the JVM; under the hood each is a loopback TCP socket
 * on a free port, found through a static map. Written against zzq.api alone, as any third-party transport is.
 */
public final class MemTcpTransport implements Transport {
    private static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();

    @Override
    public Set<String> schemes() {
        return Set.of("memtcp");
    }

    @Override
    public int defaultPort(String scheme) {
        return -1; // names, not ports
    }

    @Override
    public Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) throws IOException {
        String name = endpoint.host();
        ChannelFuture bound = new ServerBootstrap()
                .group(context.group())
                .channel(context.serverSocketChannelType()) // NIO or epoll: whatever the engine runs on
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        context.initialize(ch, endpoint); // the engine takes over: MQTT from here on
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("memtcp: " + bound.cause(), bound.cause());
        }
        Channel server = bound.channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        if (PORTS.putIfAbsent(name, port) != null) {
            server.close().awaitUninterruptibly();
            throw new IOException("memtcp://" + name + " is in use");
        }
        return new Listener() {
            @Override
            public Endpoint endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                PORTS.remove(name, port);
                server.close().awaitUninterruptibly();
            }
        };
    }

    @Override
    public Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context) {
        Integer port = PORTS.get(endpoint.host());
        if (port == null) {
            return context.group().next().newFailedFuture(
                    new IOException("no memtcp listener is named '" + endpoint.host() + "'"));
        }
        Promise<Channel> promise = context.group().next().newPromise();
        new Bootstrap()
                .group(context.group())
                .channel(context.socketChannelType())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        context.initialize(ch, endpoint);
                    }
                })
                .connect(InetAddress.getLoopbackAddress(), port)
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
