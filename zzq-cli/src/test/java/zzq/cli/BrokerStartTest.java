package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.Endpoint;
import zzq.engine.Broker;

/** {@link BrokerCommand#start}: a real broker on loopback, any free port. */
class BrokerStartTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void bindsARealPortOnLoopbackThenCloses() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Broker broker = BrokerCommand.start(BrokerCommandTest.settings("--bind", "mqtt://127.0.0.1:0",
                    "--bind=tcp://127.0.0.1:0"));
            try {
                List<Endpoint> bound = broker.endpoints();
                assertEquals(2, bound.size());
                for (Endpoint e : bound) {
                    assertEquals("127.0.0.1", e.host());
                    assertTrue(e.port() > 0, e.toString());
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.port()), 5_000);
                        assertTrue(s.isConnected());
                    }
                }
            } finally {
                broker.close();
            }
        });
    }

    @Test
    void noNativeRunsOnNio() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Broker broker = BrokerCommand.start(BrokerCommandTest.settings("--bind", "mqtt://127.0.0.1:0",
                    "--no-native"));
            try {
                assertFalse(broker.usesNativeIo());
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), broker.lastEndpoint().port()),
                            5_000);
                    assertTrue(s.isConnected());
                }
            } finally {
                broker.close();
            }
        });
    }

    @Test
    void bindsAUnixSocketFile(@TempDir Path dir) {
        assertTimeoutPreemptively(LIMIT, () -> {
            Path file = dir.resolve("zzq.sock");
            Broker broker = BrokerCommand.start(BrokerCommandTest.settings("--bind", "ipc://" + file));
            try {
                assertEquals(List.of(Endpoint.parse("ipc://" + file)), broker.endpoints());
                try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    assertTrue(s.connect(UnixDomainSocketAddress.of(file)));
                }
            } finally {
                broker.close();
            }
            assertFalse(Files.exists(file), "the socket file goes with the broker");
        });
    }

    @Test
    void bindsAWebSocketListenerThatTheClientReaches() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Broker broker = BrokerCommand.start(BrokerCommandTest.settings("--bind", "ws://127.0.0.1:0/mqtt"));
            try {
                Endpoint ws = broker.endpoints().get(0);
                assertEquals("ws", ws.scheme());
                assertEquals("/mqtt", ws.path());
                try (zzq.engine.Client c = zzq.engine.Client.connect(ws.toString(),
                        zzq.engine.ClientOptions.DEFAULTS)) {
                    assertTrue(c.isConnected());
                }
            } finally {
                broker.close();
            }
        });
    }

    @Test
    void addressInUseIsAFailure() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CommandException e = assertThrows(CommandException.class, () -> BrokerCommand.start(
                        BrokerCommandTest.settings("--bind", "mqtt://127.0.0.1:" + taken.getLocalPort())));
                assertEquals(CommandException.FAILURE, e.exitCode());
                assertTrue(e.getMessage().startsWith("cannot bind mqtt://127.0.0.1:" + taken.getLocalPort()),
                        e.getMessage());
            }
        });
    }

    @Test
    void schemeWithoutTransportIsAUsageErrorBeforeAnythingStarts() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CommandException e = assertThrows(CommandException.class, () -> BrokerCommandTest.settings(
                    "--bind", "mqtt://127.0.0.1:0", "--bind", "nope://127.0.0.1:0"));
            assertEquals(CommandException.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("--bind: no transport for the scheme 'nope'"), e.getMessage());
        });
    }
}
