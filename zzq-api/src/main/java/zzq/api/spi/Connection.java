package zzq.api.spi;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.MqttPacket;

/**
 * The engine's side of one MQTT connection, as a {@link Routing} sees it. Methods may be called from any thread
 * unless they say otherwise; calls from other threads are passed to {@link #executor()}.
 */
public interface Connection {
    /** A number unique within the engine, for logs. */
    long id();

    /** The listener's endpoint (accepted) or the dialed endpoint. */
    Endpoint endpoint();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The event loop that owns this connection; the handler's calls arrive here. */
    EventExecutor executor();

    /** The allocator for buffers written to this connection. */
    ByteBufAllocator allocator();

    /** The identity a transport established (a TLS client certificate's subject), or {@code null}. */
    default String transportIdentity() {
        return null;
    }

    /**
     * Queues a packet for writing; writes are flushed together once the event loop has finished its current
     * work, so a burst of packets costs one system call. Does not take ownership of a PUBLISH's payload: the
     * engine writes its own retained duplicate.
     */
    void send(MqttPacket packet);

    /** Whether the outbound buffer is below its high-water mark. */
    boolean isWritable();

    /** Stops or resumes reading from the peer: the way to push back on a publisher. */
    void setReading(boolean reading);

    /**
     * The handshake succeeded: the connection is ready, in {@code version}, with this keep alive (seconds, 0 for
     * none; the peer is dropped after 1.5 times it without a packet).
     */
    void handshakeSucceeded(MqttVersion version, String clientId, int keepAliveSeconds);

    /** The handshake was refused: {@code reason} has been (or is being) sent to the peer; the engine closes. */
    void handshakeRefused(String clientId, ReasonCode reason);

    /**
     * Ends the connection deliberately: writes {@code last} (a DISCONNECT or CONNACK, or {@code null}), flushes, and
     * closes. Idempotent: only the first call has an effect.
     */
    void close(MqttPacket last, ConnectionEnd end);
}
