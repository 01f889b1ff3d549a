package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Subscription;
import zzq.engine.core.Engine;
import zzq.engine.core.NativeIo;
import zzq.engine.core.TransportRegistry;

/**
 * Native I/O: the broker's and the clients' event loops run on epoll where its native library loads (Linux x86-64,
 * as here) and on NIO when told to; messages flow at every QoS whichever side runs on which.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeIoTest {
    /** Whether this machine must have epoll: Linux on x86-64, the CPU of the native jar zzq ships with. */
    private static final boolean EPOLL_EXPECTED = System.getProperty("os.name").toLowerCase(Locale.ROOT)
            .startsWith("linux") && System.getProperty("os.arch").matches("amd64|x86_64");

    @Test
    @DisplayName("Linux x86-64: epoll's native library loads from the module path")
    void epollLoadsHere() {
        if (EPOLL_EXPECTED) {
            assertTrue(Epoll.isAvailable(), "epoll does not load: " + Epoll.unavailabilityCause());
            assertSame(NativeIo.EPOLL, NativeIo.choose(true));
        }
        assertSame(NativeIo.NIO, NativeIo.choose(false));
    }

    @Test
    @DisplayName("the engine's loops run on the IoHandler chosen, and its contexts name that handler's channels")
    void engineLoopsUseTheChosenHandler() {
        for (boolean nativeIo : new boolean[] {true, false}) {
            Engine engine = new Engine(new Engine.Settings(1, 1024, Duration.ofSeconds(5), 0, "native-io-test",
                    nativeIo), TransportRegistry.installed(), e -> new ClientEngineRouting());
            try {
                NativeIo io = engine.io();
                Class<? extends IoHandler> handler = io == NativeIo.EPOLL ? EpollIoHandler.class : NioIoHandler.class;
                assertTrue(((IoEventLoopGroup) engine.group()).isIoType(handler), io + " loops on " + handler);
                assertEquals(nativeIo && EPOLL_EXPECTED ? NativeIo.EPOLL : NativeIo.NIO, io, "nativeIo=" + nativeIo);
                assertEquals(io == NativeIo.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class,
                        io.serverSocketChannelType());
            } finally {
                engine.close();
            }
        }
    }

    @Test
    @DisplayName("-Dzzq.nativeIo=false keeps an engine that wants epoll on NIO")
    void systemPropertyTurnsNativeIoOff() {
        String before = System.getProperty(NativeIo.PROPERTY);
        System.setProperty(NativeIo.PROPERTY, "false");
        try {
            assertSame(NativeIo.NIO, NativeIo.choose(true));
        } finally {
            if (before == null) {
                System.clearProperty(NativeIo.PROPERTY);
            } else {
                System.setProperty(NativeIo.PROPERTY, before);
            }
        }
        if (EPOLL_EXPECTED) {
            assertSame(NativeIo.EPOLL, NativeIo.choose(true));
        }
    }

    @Test
    @DisplayName("clients share one engine per I/O kind: epoll by default, NIO when nativeIo(false)")
    void clientEnginesPerIoKind() {
        assertSame(NativeIo.NIO, ClientEngine.get(false).engine().io());
        assertTrue(((IoEventLoopGroup) ClientEngine.get(false).engine().group()).isIoType(NioIoHandler.class));
        assertSame(EPOLL_EXPECTED ? NativeIo.EPOLL : NativeIo.NIO, ClientEngine.get(true).engine().io());
        assertSame(ClientEngine.get(true).callbacks(), ClientEngine.get(false).callbacks(), "one callback pool");
    }

    @ParameterizedTest(name = "broker native={0}, clients native={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    @DisplayName("messages at QoS 0, 1 and 2 flow on epoll, on NIO, and between the two")
    void messagesFlow(boolean brokerNative, boolean clientNative) throws Exception {
        try (Broker broker = Broker.start(BrokerOptions.builder().nativeIo(brokerNative).build())) {
            assertEquals(brokerNative && EPOLL_EXPECTED, broker.usesNativeIo());
            Endpoint at = broker.bind("mqtt://127.0.0.1:0");
            ClientOptions o = ClientTests.options().nativeIo(clientNative).build();
            try (Client sub = Client.connect(at.toString(), o); Client pub = Client.connect(at.toString(), o)) {
                Subscription s = sub.subscribe("n/#", QoS.EXACTLY_ONCE);
                for (QoS q : QoS.values()) {
                    pub.publish("n/" + q.value(), ("m" + q.value()).getBytes(), q, false);
                    ApplicationMessage m = s.receive(ClientTests.WAIT);
                    assertNotNull(m, "QoS " + q);
                    assertEquals("m" + q.value(), m.payloadAsString());
                    assertEquals(q, m.qos());
                }
            }
        }
    }

    /** A role for an engine that is only asked about its loops. */
    private static final class ClientEngineRouting implements zzq.api.spi.Routing {
        @Override
        public zzq.api.spi.PacketHandler accepted(zzq.api.spi.Connection connection) {
            throw new IllegalStateException("no connections here");
        }

        @Override
        public void close() {
        }
    }
}
