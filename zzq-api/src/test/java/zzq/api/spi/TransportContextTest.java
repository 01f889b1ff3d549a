package zzq.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zzq.api.Endpoint;

/** {@link TransportContext#withHandOff}: the same loops and channel classes, another hand-off of each channel. */
class TransportContextTest {
    /** A context that only names its channel classes (no loops needed for this) and records its hand-offs. */
    private final List<String> handedToEngine = new ArrayList<>();
    private final TransportContext engine = new TransportContext() {
        @Override
        public EventLoopGroup group() {
            return null;
        }

        @Override
        public Class<? extends ServerChannel> serverSocketChannelType() {
            return io.netty.channel.local.LocalServerChannel.class;
        }

        @Override
        public Class<? extends Channel> socketChannelType() {
            return io.netty.channel.local.LocalChannel.class;
        }

        @Override
        public Class<? extends ServerChannel> serverDomainSocketChannelType() {
            return io.netty.channel.local.LocalServerChannel.class;
        }

        @Override
        public Class<? extends Channel> domainSocketChannelType() {
            return EmbeddedChannel.class;
        }

        @Override
        public void initialize(Channel channel, Endpoint endpoint) {
            handedToEngine.add(endpoint.toString());
        }
    };

    @Test
    void forwardsTheLoopsAndChannelClassesAndHandsOffToTheGivenCode() {
        List<String> handedToLayer = new ArrayList<>();
        TransportContext layered = engine.withHandOff((ch, at) -> {
            handedToLayer.add(at.toString());
            engine.initialize(ch, at); // the layer's handlers first, then the engine's
        });
        assertSame(engine.group(), layered.group());
        assertSame(engine.serverSocketChannelType(), layered.serverSocketChannelType());
        assertSame(engine.socketChannelType(), layered.socketChannelType());
        assertSame(engine.serverDomainSocketChannelType(), layered.serverDomainSocketChannelType());
        assertSame(engine.domainSocketChannelType(), layered.domainSocketChannelType());
        EmbeddedChannel ch = new EmbeddedChannel();
        layered.initialize(ch, Endpoint.parse("ws://127.0.0.1:8080/mqtt"));
        ch.finishAndReleaseAll();
        assertEquals(List.of("ws://127.0.0.1:8080/mqtt"), handedToLayer);
        assertEquals(List.of("ws://127.0.0.1:8080/mqtt"), handedToEngine);
    }
}
