package zzq.engine.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.Connection;
import zzq.api.spi.ConnectionEnd;
import zzq.api.spi.PacketHandler;
import zzq.codec.MalformedPacketException;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;
import zzq.engine.MonitorEvent;

/**
 * One MQTT connection: the last handler of its channel's pipeline. It frames bytes into packets for the routing's
 * {@link PacketHandler}, writes packets back in batches, watches keep alive and the connect timeout, and runs the
 * connection's lifecycle ({@link ConnectionState}) with the reference's teardown order.
 *
 * <p>Everything here runs on the channel's event loop, except the {@link Connection} methods, which hop onto it.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** Payloads up to this size are copied into the batch buffer: cheaper than one more buffer in a gathering write. */
    private static final int INLINE_PAYLOAD = 512;

    private final Engine engine;
    private final long id;
    private final Endpoint endpoint;
    private final boolean accepted;
    private final MqttDecoder decoder;
    /** Builds the handler of a dialed connection; {@code null} for an accepted one (the routing builds it). */
    private final java.util.function.Function<Connection, PacketHandler> dialedHandler;
    private final long handshakeTimeoutNanos;

    private ChannelHandlerContext ctx;
    private Channel channel;
    private PacketHandler handler;
    private ConnectionState state = ConnectionState.NEW;
    private String clientId;
    private MqttVersion version;
    private long keepAliveNanos;
    private long lastReadNanos;
    /** Whether the routing stopped reading from the peer: keep alive does not count that silence against it. */
    private boolean readingPaused;
    private ScheduledFuture<?> timer;
    private ByteBuf batch;
    private boolean flushScheduled;
    private final Runnable flushTask = this::flushNow;

    /** An accepted connection: the routing handles it, and the server's decoder learns the version from CONNECT. */
    MqttConnection(Engine engine, long id, Endpoint endpoint, MqttDecoder decoder) {
        this.engine = engine;
        this.id = id;
        this.endpoint = endpoint;
        this.accepted = true;
        this.decoder = decoder;
        this.dialedHandler = null;
        this.handshakeTimeoutNanos = engine.connectTimeoutNanos();
    }

    /** A dialed connection: it speaks {@code decoder}'s version from the start, with its own handler. */
    MqttConnection(Engine engine, long id, Endpoint endpoint, MqttDecoder decoder,
                   java.util.function.Function<Connection, PacketHandler> handler, long handshakeTimeoutNanos) {
        this.engine = engine;
        this.id = id;
        this.endpoint = endpoint;
        this.accepted = false;
        this.decoder = decoder;
        this.version = decoder.version();
        this.dialedHandler = handler;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    // ---- Connection, as the routing sees it ----

    @Override
    public long id() {
        return id;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public ByteBufAllocator allocator() {
        return channel.alloc();
    }

    @Override
    public String transportIdentity() {
        return channel.attr(zzq.api.spi.TransportContext.TRANSPORT_IDENTITY).get();
    }

    @Override
    public void send(MqttPacket packet) {
        if (channel.eventLoop().inEventLoop()) {
            write(packet);
        } else {
            if (packet instanceof Publish p) {
                p.payload().retain();
            }
            channel.eventLoop().execute(() -> {
                try {
                    write(packet);
                } finally {
                    if (packet instanceof Publish p) {
                        p.payload().release();
                    }
                }
            });
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void setReading(boolean reading) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> setReading(reading));
            return;
        }
        if (readingPaused == !reading) {
            return;
        }
        readingPaused = !reading;
        if (reading) {
            lastReadNanos = System.nanoTime(); // the silence while paused was ours, not the peer's
        }
        channel.config().setAutoRead(reading);
    }

    @Override
    public void handshakeSucceeded(MqttVersion v, String id, int keepAliveSeconds) {
        assert channel.eventLoop().inEventLoop();
        state = state.moveTo(ConnectionState.READY);
        version = v;
        clientId = id;
        keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds) * 3 / 2;
        cancelTimer();
        if (keepAliveNanos > 0) {
            timer = channel.eventLoop().schedule(this::checkKeepAlive, keepAliveNanos, TimeUnit.NANOSECONDS);
        }
        engine.emit(new MonitorEvent.HandshakeSucceeded(this.id, channel.remoteAddress(), id, v));
    }

    @Override
    public void handshakeRefused(String id, ReasonCode reason) {
        clientId = id; // the close that follows emits the one HandshakeFailed, with the refusal's reason
    }

    @Override
    public void close(MqttPacket last, ConnectionEnd end) {
        if (channel.eventLoop().inEventLoop()) {
            end(last, end);
        } else {
            channel.eventLoop().execute(() -> end(last, end));
        }
    }

    /** Ends the connection because the engine closes: a 5.0 peer is told why (0x8B). */
    io.netty.channel.ChannelFuture shutdown(ConnectionEnd why) {
        channel.eventLoop().execute(() -> end(disconnectFor(why.reasonCode()), why));
        return channel.closeFuture();
    }

    // ---- Netty events ----

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        channel = context.channel();
        if (channel.isActive()) {
            begin();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        begin();
        context.fireChannelActive();
    }

    private void begin() {
        if (state != ConnectionState.NEW) {
            return;
        }
        lastReadNanos = System.nanoTime();
        if (!engine.admit(this)) {
            engine.emit(new MonitorEvent.ConnectionRejected(id, endpoint, channel.remoteAddress(),
                    "the broker is at its connection limit"));
            state = state.moveTo(ConnectionState.CLOSED);
            channel.close();
            return;
        }
        state = state.moveTo(ConnectionState.HANDSHAKING);
        if (accepted) {
            engine.emit(new MonitorEvent.Accepted(id, endpoint, channel.remoteAddress()));
        }
        timer = channel.eventLoop().schedule(this::handshakeTimedOut, handshakeTimeoutNanos, TimeUnit.NANOSECONDS);
        try {
            handler = accepted ? engine.routing().accepted(this) : dialedHandler.apply(this);
        } catch (RuntimeException e) {
            LOG.error("routing failed to take connection {}", id, e);
            end(null, new ConnectionEnd(ReasonCode.UNSPECIFIED_ERROR, false, false, "routing failed", e));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            throw new IllegalStateException("a transport passed a " + msg.getClass().getName()
                    + " where MQTT bytes belong");
        }
        try {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            lastReadNanos = System.nanoTime();
            engine.stats().bytesReceived(in.readableBytes());
            decoder.decode(in, this::dispatch);
        } catch (MalformedPacketException e) {
            malformed(e);
        } catch (RuntimeException e) {
            // the handler threw: a bug or a refusal it could not express; only this connection pays for it
            if (state != ConnectionState.CLOSED) {
                LOG.warn("connection {} ({}): closing after an error handling its packets", id, clientId, e);
                end(disconnectFor(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR),
                        new ConnectionEnd(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, false, false,
                                "error handling a packet: " + e, e));
            }
        } finally {
            in.release();
        }
    }

    private void dispatch(MqttPacket packet) {
        if (state == ConnectionState.CLOSED) {
            ReferenceCountUtil.release(packet instanceof Publish p ? p.payload() : null);
            decoder.close();
            return;
        }
        if (packet.type() == PacketType.CONNECT && version == null && decoder.version() != null) {
            version = decoder.version();
        }
        engine.stats().packetReceived(packet);
        if (engine.isVerbose() && packet instanceof Publish p) {
            engine.emitVerbose(new MonitorEvent.MessageReceived(id, clientId, p.topic(), p.qos(), p.retain(),
                    p.payload().readableBytes()));
        }
        handler.packet(packet);
    }

    private void malformed(MalformedPacketException e) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        ReasonCode reason = e.reasonCode();
        LOG.debug("connection {} ({}): {}", id, clientId, e.getMessage());
        MqttPacket last;
        if (state == ConnectionState.READY) {
            last = disconnectFor(reason);
        } else if (decoder.requestedVersion() == MqttVersion.V5 && version == null) {
            // a CONNECT of 5.0 that failed to decode: a 5.0 CONNACK may say why (MQTT-3.1.4-1, 4.13.1)
            version = MqttVersion.V5;
            last = new Connack(false, connackReason(reason), zzq.codec.property.Properties.EMPTY);
        } else if (reason == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION && version == null) {
            // a protocol level this broker does not speak: CONNACK 0x01 in 3.1.1's form (MQTT-3.1.2-2)
            last = new Connack(false, reason, zzq.codec.property.Properties.EMPTY);
        } else {
            last = null;
        }
        end(last, new ConnectionEnd(reason, false, false, e.getMessage(), e));
    }

    private static ReasonCode connackReason(ReasonCode reason) {
        return reason.isAllowedIn(PacketType.CONNACK) ? reason : ReasonCode.MALFORMED_PACKET;
    }

    /** The DISCONNECT to send for this reason: 5.0 only, since a 3.1.1 server just closes (MQTT-4.8.0-1). */
    private Disconnect disconnectFor(ReasonCode reason) {
        return version == MqttVersion.V5 && reason.isAllowedIn(PacketType.DISCONNECT) ? new Disconnect(reason) : null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (handler != null && state != ConnectionState.CLOSED) {
            handler.writabilityChanged(channel.isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        end(null, new ConnectionEnd(ReasonCode.UNSPECIFIED_ERROR, true, true, "connection closed by the peer",
                null));
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection {} ({}) lost: {}", id, clientId, cause.toString());
        } else {
            LOG.warn("connection {} ({}) failed", id, clientId, cause);
        }
        end(null, new ConnectionEnd(ReasonCode.UNSPECIFIED_ERROR, true, true, "connection lost: " + cause,
                cause));
    }

    // ---- timers ----

    private void handshakeTimedOut() {
        if (state == ConnectionState.HANDSHAKING) {
            end(null, new ConnectionEnd(ReasonCode.MAXIMUM_CONNECT_TIME, false, false,
                    (accepted ? "no CONNECT within " : "no CONNACK within ")
                            + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms",
                    null));
        }
    }

    private void checkKeepAlive() {
        if (state != ConnectionState.READY) {
            return;
        }
        long silent = readingPaused ? 0 : System.nanoTime() - lastReadNanos;
        if (silent >= keepAliveNanos) {
            // MQTT-3.1.2-24: nothing from the client for 1.5 times its keep alive; a client whose PINGREQ went
            // unanswered just closes (0x8D is the server's to send)
            end(accepted ? disconnectFor(ReasonCode.KEEP_ALIVE_TIMEOUT) : null, new ConnectionEnd(
                    ReasonCode.KEEP_ALIVE_TIMEOUT, false, false,
                    "silent for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms", null));
        } else {
            timer = channel.eventLoop().schedule(this::checkKeepAlive, keepAliveNanos - silent,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    // ---- writing ----

    private void write(MqttPacket packet) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        writeOut(packet);
        if (!flushScheduled) {
            flushScheduled = true;
            // runs after this loop turn's reads and tasks: every packet written meanwhile goes in one system call
            channel.eventLoop().execute(flushTask);
        }
    }

    private void writeOut(MqttPacket packet) {
        MqttVersion v = version != null ? version : MqttVersion.V3_1_1;
        if (batch == null) {
            batch = channel.alloc().ioBuffer(256);
        }
        int before = batch.writerIndex();
        if (packet instanceof Publish p && p.payload().readableBytes() > INLINE_PAYLOAD) {
            MqttEncoder.encodePublishHeader(p, v, batch);
            engine.stats().bytesSent(batch.writerIndex() - before + p.payload().readableBytes());
            ctx.write(batch, ctx.voidPromise());
            batch = null;
            ctx.write(p.payload().retainedDuplicate(), ctx.voidPromise());
        } else {
            MqttEncoder.encode(packet, v, batch);
            engine.stats().bytesSent(batch.writerIndex() - before);
        }
        engine.stats().packetSent(packet);
        if (engine.isVerbose() && packet instanceof Publish p) {
            engine.emitVerbose(new MonitorEvent.MessageSent(id, clientId, p.topic(), p.qos(), p.retain(),
                    p.payload().readableBytes()));
        }
    }

    private void flushNow() {
        flushScheduled = false;
        if (batch != null) {
            ctx.write(batch, ctx.voidPromise());
            batch = null;
        }
        ctx.flush();
    }

    // ---- teardown ----

    /**
     * Ends the connection once, in the reference's order: stop its tasks, drop it from the connection map, tell the
     * routing, close the channel (after writing {@code last}), emit the event.
     */
    private void end(MqttPacket last, ConnectionEnd why) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        ConnectionState was = state;
        state = state.moveTo(ConnectionState.CLOSED);
        cancelTimer();
        decoder.close();
        engine.forget(this);
        if (handler != null) {
            try {
                handler.ended(why);
            } catch (RuntimeException e) {
                LOG.error("connection {} ({}): routing failed on its end", id, clientId, e);
            }
        }
        if (last != null && channel.isActive()) {
            writeOut(last);
        }
        if (batch != null) {
            ctx.write(batch, ctx.voidPromise());
            batch = null;
        }
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (was == ConnectionState.READY) {
            engine.emit(new MonitorEvent.Disconnected(id, channel.remoteAddress(), clientId, why.reasonCode(),
                    why.byPeer(), why.detail()));
        } else if (was == ConnectionState.HANDSHAKING) {
            engine.emit(new MonitorEvent.HandshakeFailed(id, channel.remoteAddress(), clientId, why.reasonCode(),
                    why.detail()));
        }
    }

    /** The version the connection speaks, once known. */
    MqttVersion version() {
        return version;
    }

    @Override
    public String toString() {
        return "connection " + id + (clientId == null ? "" : " (" + clientId + ")");
    }
}
