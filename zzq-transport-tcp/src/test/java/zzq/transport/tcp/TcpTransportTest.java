package zzq.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOptions;

/** The TCP transport alone: schemes, default port, IPv4, IPv6, wildcards, port 0, bind errors, dialing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpTransportTest {
    private static EventLoopGroup group;
    private final TcpTransport tcp = new TcpTransport();
    /** The endpoints the transport handed over with each accepted or dialed channel. */
    private final LinkedBlockingQueue<Endpoint> handedOver = new LinkedBlockingQueue<>();
    private final TransportContext context = new TransportContext() {
        @Override
        public EventLoopGroup group() {
            return group;
        }

        @Override
        public void initialize(Channel channel, Endpoint endpoint) {
            handedOver.add(endpoint);
        }
    };

    @BeforeAll
    static void startLoops() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void servesMqttAndTcpOn1883() {
        assertEquals(java.util.Set.of("mqtt", "tcp"), tcp.schemes());
        assertEquals(1883, tcp.defaultPort("mqtt"));
    }

    @Test
    void portZeroBindsARealPortAndAcceptedChannelsAreHandedOver() throws Exception {
        try (Listener l = tcp.bind(Endpoint.parse("mqtt://127.0.0.1:0"), TransportOptions.NONE, context)) {
            assertTrue(l.endpoint().port() > 0, "the real port replaces 0: " + l.endpoint());
            assertAccepts(l.endpoint(), "127.0.0.1");
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        try (Listener l = tcp.bind(Endpoint.parse("tcp://[::1]:0"), TransportOptions.NONE, context)) {
            assertAccepts(l.endpoint(), "::1");
        }
    }

    @Test
    void starListensOnEveryInterfaceOfBothFamilies() throws Exception {
        try (Listener l = tcp.bind(Endpoint.parse("mqtt://*:0"), TransportOptions.NONE, context)) {
            assertAccepts(l.endpoint(), "127.0.0.1");
            assertAccepts(l.endpoint(), "::1");
        }
    }

    @Test
    void allIpv4Interfaces() throws Exception {
        try (Listener l = tcp.bind(Endpoint.parse("mqtt://0.0.0.0:0"), TransportOptions.NONE, context)) {
            assertAccepts(l.endpoint(), "127.0.0.1");
        }
    }

    @Test
    void aPortInUseIsAnIOException() throws Exception {
        try (Listener l = tcp.bind(Endpoint.parse("mqtt://127.0.0.1:0"), TransportOptions.NONE, context)) {
            assertThrows(IOException.class, () -> tcp.bind(l.endpoint(), TransportOptions.NONE, context));
        }
    }

    @Test
    void anUnresolvableHostIsAnIOException() {
        IOException e = assertThrows(IOException.class, () -> tcp.bind(
                Endpoint.parse("mqtt://no-such-host.invalid:0"), TransportOptions.NONE, context));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
    }

    @Test
    void closeStopsAccepting() throws Exception {
        Listener l = tcp.bind(Endpoint.parse("mqtt://127.0.0.1:0"), TransportOptions.NONE, context);
        l.close();
        l.close(); // idempotent
        // nothing listens there any more: connections are refused. Java NIO frees the socket on the selector's
        // next run, which close() waits for; the bounded retry keeps the test immune to a slow loop turn.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", l.endpoint().port()), 5000);
            } catch (java.net.ConnectException refused) {
                return;
            } catch (IOException reset) {
                // accepted by the closing socket's backlog, then reset: not yet freed
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still accepting 5 s after close: " + l.endpoint());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void dialsAndHandsTheChannelOver() throws Exception {
        try (Listener l = tcp.bind(Endpoint.parse("mqtt://127.0.0.1:0"), TransportOptions.NONE, context)) {
            Channel dialed = tcp.connect(l.endpoint(), TransportOptions.NONE, context).get(10, TimeUnit.SECONDS);
            try {
                assertTrue(dialed.isActive());
                // one hand-over for the dialed side, one for the accepted side
                assertTrue(handedOver.poll(10, TimeUnit.SECONDS) != null);
                assertTrue(handedOver.poll(10, TimeUnit.SECONDS) != null);
            } finally {
                dialed.close().syncUninterruptibly();
            }
        }
    }

    private void assertAccepts(Endpoint bound, String host) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(host), bound.port()), 5000);
            Endpoint given = handedOver.poll(10, TimeUnit.SECONDS);
            assertEquals(bound, given, "the accepted channel comes with the listener's bound endpoint");
        }
    }
}
