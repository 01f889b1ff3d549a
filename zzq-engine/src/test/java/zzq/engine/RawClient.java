package zzq.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import zzq.api.Endpoint;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Connect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;

/**
 * A byte-level MQTT peer for tests: writes packets (or any bytes) and reads packets with a timeout, so a test can
 * say exactly what went over the wire, including what no well-behaved client would send.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MqttVersion version;
    private final MqttDecoder decoder;
    private final ArrayDeque<MqttPacket> received = new ArrayDeque<>();

    public RawClient(Endpoint endpoint, MqttVersion version) throws IOException {
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 5000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.version = version;
        this.decoder = MqttDecoder.forClient(version, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
    }

    /** A CONNECT with these basics and no will, credentials or properties. */
    public static Connect connect(MqttVersion version, String clientId, boolean clean, int keepAlive) {
        return new Connect(version, clientId, clean, keepAlive, null, null, null, Properties.EMPTY);
    }

    /** A PUBLISH of a UTF-8 text payload. */
    public static Publish publish(String topic, String payload, QoS qos, int packetId, boolean retain) {
        return new Publish(topic, qos, retain, false, packetId, Properties.EMPTY,
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    public RawClient send(MqttPacket packet) throws IOException {
        return sendBytes(encode(packet, version));
    }

    /** The wire bytes of {@code packet} in {@code version}; a PUBLISH's payload is released (the packet is spent). */
    public static byte[] encode(MqttPacket packet, MqttVersion version) {
        ByteBuf buf = null;
        try {
            buf = MqttEncoder.encode(packet, version, ByteBufAllocator.DEFAULT);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            if (buf != null) {
                buf.release();
            }
            if (packet instanceof Publish p) {
                p.payload().release();
            }
        }
    }

    public RawClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next packet, or an AssertionError if none arrives in time or the connection closes. */
    public MqttPacket read(Duration timeout) throws IOException {
        MqttPacket p = poll(timeout);
        if (p == null) {
            throw new AssertionError("no packet within " + timeout + (closed ? " (connection closed)" : ""));
        }
        return p;
    }

    public MqttPacket read() throws IOException {
        return read(Duration.ofSeconds(10));
    }

    /** Reads the next packet, expecting its type. */
    public <T extends MqttPacket> T expect(Class<T> type) throws IOException {
        MqttPacket p = read();
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + p);
        }
        return type.cast(p);
    }

    private boolean closed;

    /** The next packet within the timeout, or null (on timeout or end of stream). */
    public MqttPacket poll(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] chunk = new byte[8192];
        while (received.isEmpty() && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                closed = true;
                break;
            }
            if (n < 0) {
                closed = true;
                break;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(chunk, 0, n);
            try {
                decoder.decode(buf, received::add);
            } finally {
                buf.release();
            }
        }
        return received.poll();
    }

    /** Whether the broker closed the connection within the timeout (packets before the close are skipped). */
    public boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && System.nanoTime() < deadline) {
            MqttPacket p = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (p instanceof Publish pub) {
                pub.payload().release();
            }
        }
        return closed;
    }

    @Override
    public void close() throws IOException {
        for (MqttPacket p : received) {
            if (p instanceof Publish pub) {
                pub.payload().release();
            }
        }
        received.clear();
        decoder.close();
        socket.close();
    }
}
