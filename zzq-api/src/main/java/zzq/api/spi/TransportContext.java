package zzq.api.spi;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import zzq.api.Endpoint;

/** What the engine gives a {@link Transport}: its threads, and the hand-off of each new channel. */
public interface TransportContext {
    /**
     * The engine's event loops, for the server's accepting and child channels and for dialed ones. Its I/O type
     * ({@code NioIoHandler} or a native one) decides the channel classes: see
     * {@code io.netty.channel.IoEventLoopGroup#isIoType}.
     */
    EventLoopGroup group();

    /**
     * Hands a channel to the engine. Call it from the channel's initializer, after adding the transport's own
     * handlers: the engine appends its MQTT handlers and owns the channel from then on.
     *
     * @param channel  the accepted or dialed channel
     * @param endpoint the listener's bound endpoint (accepted) or the dialed endpoint
     */
    void initialize(Channel channel, Endpoint endpoint);
}
