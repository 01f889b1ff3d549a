package zzq.api.spi;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import java.util.function.BiConsumer;
import zzq.api.Endpoint;

/** What the engine gives a {@link Transport}: its threads, and the hand-off of each new channel. */
public interface TransportContext {
    /**
     * Where a transport leaves the identity it established for a channel, such as the subject of a verified TLS
     * client certificate; the engine hands it to the authentication hooks ({@link ConnectRequest}).
     */
    AttributeKey<String> TRANSPORT_IDENTITY = AttributeKey.valueOf("zzq.transportIdentity");

    /**
     * The engine's event loops, for the server's accepting and child channels and for dialed ones. Its I/O type
     * ({@code NioIoHandler} or a native one) decides the channel classes: see
     * {@code io.netty.channel.IoEventLoopGroup#isIoType}.
     */
    EventLoopGroup group();

    /**
     * The class of listening TCP sockets that fits {@link #group()}'s I/O type: NIO's, or a native transport's
     * (epoll) when the engine runs on one. Transports over TCP use it, so they follow the engine's choice.
     */
    default Class<? extends ServerChannel> serverSocketChannelType() {
        return NioServerSocketChannel.class;
    }

    /** The class of connected TCP sockets that fits {@link #group()}'s I/O type (see the listening one). */
    default Class<? extends Channel> socketChannelType() {
        return NioSocketChannel.class;
    }

    /**
     * The class of listening Unix domain sockets that fits {@link #group()}'s I/O type: NIO's (which binds a JDK
     * {@code java.net.UnixDomainSocketAddress}), or a native transport's when the engine runs on one (which
     * implements {@code io.netty.channel.unix.ServerDomainSocketChannel} and binds a Netty
     * {@code io.netty.channel.unix.DomainSocketAddress}, abstract names included).
     */
    default Class<? extends ServerChannel> serverDomainSocketChannelType() {
        return NioServerDomainSocketChannel.class;
    }

    /** The class of connected Unix domain sockets that fits {@link #group()}'s I/O type (see the listening one). */
    default Class<? extends Channel> domainSocketChannelType() {
        return NioDomainSocketChannel.class;
    }

    /**
     * Hands a channel to the engine. Call it from the channel's initializer, after adding the transport's own
     * handlers: the engine appends its MQTT handlers and owns the channel from then on.
     *
     * @param channel  the accepted or dialed channel
     * @param endpoint the listener's bound endpoint (accepted) or the dialed endpoint
     */
    void initialize(Channel channel, Endpoint endpoint);

    /**
     * This context with another hand-off: {@code handOff} runs for each new channel instead of
     * {@link #initialize}, which it calls once it has added its own handlers (or later, say after a handshake). For a
     * transport that runs over another's sockets: WebSockets over the TCP transport's listeners and dials.
     */
    default TransportContext withHandOff(BiConsumer<Channel, Endpoint> handOff) {
        TransportContext outer = this;
        return new TransportContext() {
            @Override
            public EventLoopGroup group() {
                return outer.group();
            }

            @Override
            public Class<? extends ServerChannel> serverSocketChannelType() {
                return outer.serverSocketChannelType();
            }

            @Override
            public Class<? extends Channel> socketChannelType() {
                return outer.socketChannelType();
            }

            @Override
            public Class<? extends ServerChannel> serverDomainSocketChannelType() {
                return outer.serverDomainSocketChannelType();
            }

            @Override
            public Class<? extends Channel> domainSocketChannelType() {
                return outer.domainSocketChannelType();
            }

            @Override
            public void initialize(Channel channel, Endpoint endpoint) {
                handOff.accept(channel, endpoint);
            }
        };
    }
}
