package zzq.engine.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Clients;
import zzq.engine.ConnectResult;
import zzq.engine.RawClient;

/**
 * A scripted MQTT broker for client tests: a plain {@link ServerSocket} on a free loopback port whose test says
 * exactly what happens on each connection: which packets it expects, what it answers, what it withholds, and when
 * it drops the link. Packets are decoded as a server decodes them ({@link MqttDecoder#forServer}), so a malformed
 * packet from the client fails the test that reads past it, and {@link #close()} fails if any connection saw one;
 * they are encoded as {@link RawClient} encodes them.
 *
 * <p>Register it with {@code @RegisterExtension} (or use it in try-with-resources): after each test it closes the
 * clients made with {@link #client}, then itself.
 *
 * <p>Received PUBLISH payloads are copied to plain heap buffers at once, so tests never release them.
 */
final class FakeBroker implements AutoCloseable, AfterEachCallback {
    private final ServerSocket server;
    private final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    FakeBroker() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with these options, not yet connected, closed with this broker. */
    Client client(ClientOptions options) {
        Client c = Client.create(options);
        clients.add(c);
        return c;
    }

    /** Connects {@code client} here; the CONNACK accepts with these properties. Returns the connection. */
    Conn connect(Client client, Properties connackProperties) throws IOException {
        CompletableFuture<ConnectResult> done = client.connectAsync(List.of(url()));
        Conn c = acceptSession(false, connackProperties);
        ClientTests.done(done);
        return c;
    }

    /** {@link #connect(Client, Properties)} with a CONNACK without properties. */
    Conn connect(Client client) throws IOException {
        return connect(client, Properties.EMPTY);
    }

    /** The URL a client connects to. */
    String url() {
        return "mqtt://127.0.0.1:" + server.getLocalPort();
    }

    /** A URL on which nothing listens: dialing it is refused at once. */
    static String closedPortUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "mqtt://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** The next TCP connection, waiting up to {@link Clients#WAIT}. */
    Conn accept() throws IOException {
        Conn c = accept(Clients.WAIT);
        if (c == null) {
            throw new AssertionError("the client did not connect within " + Clients.WAIT);
        }
        return c;
    }

    /** The next TCP connection within {@code timeout}, or {@code null}. */
    Conn accept(Duration timeout) throws IOException {
        server.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        Socket s;
        try {
            s = server.accept();
        } catch (SocketTimeoutException e) {
            return null;
        }
        Conn c = new Conn(s);
        connections.add(c);
        return c;
    }

    /** The next connection, after its CONNECT arrived (see {@link Conn#connect()}); nothing answered yet. */
    Conn acceptConnect() throws IOException {
        Conn c = accept();
        c.connect = c.expect(Connect.class);
        return c;
    }

    /** The next connection, its CONNECT accepted by a CONNACK with these properties. */
    Conn acceptSession(boolean sessionPresent, Properties connackProperties) throws IOException {
        Conn c = acceptConnect();
        c.send(new Connack(sessionPresent, ReasonCode.SUCCESS, connackProperties));
        return c;
    }

    /** As {@link #acceptSession} without a session and without CONNACK properties. */
    Conn acceptSession() throws IOException {
        return acceptSession(false, Properties.EMPTY);
    }

    /** Proves the client does not connect again within {@code time}. */
    void assertNoConnection(Duration time) throws IOException {
        Conn c = accept(time);
        if (c != null) {
            throw new AssertionError("the client connected again");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }

    /** Closes the clients made here, then the listener and every connection. Idempotent. */
    @Override
    public void close() throws IOException {
        for (Client c : clients) {
            c.close();
        }
        server.close();
        for (Conn c : connections) {
            c.close();
        }
        for (Conn c : connections) {
            if (c.error != null) {
                throw new AssertionError("the client sent a malformed packet", c.error);
            }
        }
    }

    /** One connection from the client. */
    static final class Conn implements AutoCloseable {
        private static final Object END = new Object();
        private final Socket socket;
        private final OutputStream out;
        private final LinkedBlockingDeque<Object> received = new LinkedBlockingDeque<>();
        private volatile MqttVersion version = MqttVersion.V5;
        private volatile boolean answerPings;
        private volatile Throwable error;
        private volatile boolean ended;
        Connect connect;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            this.out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread reader = new Thread(() -> read(in), "fake-broker-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(InputStream in) {
            byte[] chunk = new byte[8192];
            try (MqttDecoder decoder = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE)) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    ByteBuf buf = Unpooled.wrappedBuffer(chunk, 0, n);
                    try {
                        decoder.decode(buf, this::arrived);
                    } finally {
                        buf.release();
                    }
                }
            } catch (IOException e) {
                // the socket closed
            } catch (RuntimeException e) {
                error = e;
            } finally {
                ended = true;
                received.add(END);
            }
        }

        private void arrived(MqttPacket p) {
            if (p instanceof Connect c) {
                version = c.version();
            }
            if (p instanceof Pingreq && answerPings) {
                trySend(Pingresp.INSTANCE);
                return;
            }
            if (p instanceof Publish pub) {
                // a heap copy: the test never has to release it
                byte[] bytes = new byte[pub.payload().readableBytes()];
                pub.payload().getBytes(pub.payload().readerIndex(), bytes);
                pub.payload().release();
                p = new Publish(pub.topic(), pub.qos(), pub.retain(), pub.dup(), pub.packetId(), pub.properties(),
                        Unpooled.wrappedBuffer(bytes));
            }
            received.add(p);
        }

        /** The client's CONNECT (after {@link FakeBroker#acceptConnect()}). */
        Connect connect() {
            return connect;
        }

        /** From now on PINGREQs are answered here and not handed to the test. */
        Conn answerPings() {
            answerPings = true;
            return this;
        }

        /** Sends a packet (a PUBLISH's payload is released). */
        Conn send(MqttPacket packet) throws IOException {
            byte[] bytes = RawClient.encode(packet, version);
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
            return this;
        }

        /** Sends, failing the test (not throwing IOException) if the connection is gone. */
        Conn sendQuietly(MqttPacket packet) {
            try {
                return send(packet);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void trySend(MqttPacket packet) {
            try {
                send(packet);
            } catch (IOException e) {
                // the connection is going away; the test sees it end
            }
        }

        /** A PUBLISH to send to the client. */
        static Publish publish(String topic, String payload, QoS qos, int packetId, boolean dup,
                               Properties properties) {
            return new Publish(topic, qos, false, dup, packetId, properties,
                    Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
        }

        /** The next packet within {@code timeout}; {@code null} on timeout or when the connection ended. */
        MqttPacket poll(Duration timeout) {
            Object o;
            try {
                o = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (o == END) {
                received.addFirst(END);
                if (error != null) {
                    throw new AssertionError("the client sent a malformed packet", error);
                }
                return null;
            }
            return (MqttPacket) o;
        }

        /** The next packet, which must be of this type, within {@link Clients#WAIT}. */
        <T extends MqttPacket> T expect(Class<T> type) {
            MqttPacket p = poll(Clients.WAIT);
            if (!type.isInstance(p)) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got "
                        + (p == null ? (ended ? "the connection closed" : "nothing within " + Clients.WAIT) : p));
            }
            return type.cast(p);
        }

        /** Proves nothing arrives within {@code time} (and the connection stays up). */
        void assertSilent(Duration time) {
            MqttPacket p = poll(time);
            if (p != null) {
                throw new AssertionError("expected nothing, got " + p);
            }
            if (ended) {
                throw new AssertionError("expected nothing, but the connection closed");
            }
        }

        /** Whether the client closed the connection within {@code timeout}; packets before the close are skipped. */
        boolean awaitClosed(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.peek() != END) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                poll(Duration.ofNanos(left));
            }
            return true;
        }

        /** Drops the connection without a word, as a crashed broker or a cut cable would. */
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
