package zzq.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket side of an upgraded connection, between Netty's frame codec and the engine's MQTT handler: the
 * engine reads and writes plain MQTT bytes, and never sees a frame.
 *
 * <p>In: the payload of every binary frame and its continuation frames goes up as it is, so MQTT packets may span
 * frames and frames may hold many packets (MQTT-6.0.0-2: the engine frames packets itself). A text frame ends
 * the connection with close code 1003 (MQTT-6.0.0-1). Pings are answered with pongs. A close frame from the peer
 * is answered with a close frame, and the connection closed.
 *
 * <p>Out: the buffers the engine writes between two flushes go out as one binary frame, without copying (a
 * composite buffer); a batch longer than the frame limit goes out as several binary frames (whole messages, not
 * continuations: the byte stream is what counts, MQTT-6.0.0-2).
 * When the engine closes the channel, a close frame (1000, normal closure) goes first; a server then closes the
 * TCP connection at once, a client waits (bounded) for the server's close frame or TCP close (RFC 6455 7.1.1).
 */
final class WsFrames extends ChannelDuplexHandler {
    /** How long a close frame may wait for the peer (its answer, or its reading our frame) before TCP closes. */
    static final long CLOSE_WAIT_MILLIS = 2000;

    private final boolean client;
    private final int maxFrameSize;
    /** The buffers written since the last flush, and the promises of those writes that want to hear of them. */
    private final List<ByteBuf> pending = new ArrayList<>();
    private final List<ChannelPromise> pendingPromises = new ArrayList<>();
    private int pendingBytes;
    /** Whether a close frame went out (ours or the decoder's): nothing may follow it. */
    private boolean closeSent;
    /** The channel's close once a close frame went out: it completes when the channel is closed. */
    private ChannelPromise closing;
    private ScheduledFuture<?> closeTimer;

    WsFrames(boolean client, int maxFrameSize) {
        this.client = client;
        this.maxFrameSize = maxFrameSize;
    }

    // ---- in ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            ByteBuf payload = frame.content();
            if (closeSent || !payload.isReadable()) {
                frame.release(); // after a close frame, data is dropped (RFC 6455 5.5.1)
            } else {
                ctx.fireChannelRead(payload); // the frame's only content: its ownership passes up
            }
        } else if (frame instanceof PingWebSocketFrame) {
            if (closeSent) {
                frame.release();
            } else {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content()));
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            peerClosed(ctx, close);
        } else if (frame instanceof TextWebSocketFrame) {
            frame.release();
            // MQTT-6.0.0-1: MQTT travels in binary frames only; any other data frame closes the connection
            fail(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "a text frame: MQTT travels in binary frames");
        } else {
            frame.release(); // a pong
        }
    }

    private void peerClosed(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode();
        close.release();
        if (closeSent) {
            finishClose(ctx); // the answer to ours: the close handshake is complete
            return;
        }
        // answer with the peer's code (RFC 6455 5.5.1), 1000 when it gave none (or one not to be sent), then close
        dropPending();
        sendClose(ctx, code >= 0 && code <= 4999 && WebSocketCloseStatus.isValidStatusCode(code)
                ? WebSocketCloseStatus.valueOf(code) : WebSocketCloseStatus.NORMAL_CLOSURE, null, true);
    }

    /** Ends the connection for a fault of the peer's: a close frame with the code, and the engine told why. */
    private void fail(ChannelHandlerContext ctx, WebSocketCloseStatus status, String why) {
        if (!closeSent) {
            dropPending();
            sendClose(ctx, status, why, true);
        }
        ctx.fireExceptionCaught(new ProtocolException("WebSocket: " + why + " (close code " + status.code() + ")"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // the frame decoder already sent its close frame (1002, or 1009 for a frame over the limit) and closes
            closeSent = true;
            ProtocolException e = new ProtocolException("WebSocket: " + corrupt.getMessage()
                    + " (close code " + corrupt.closeStatus().code() + ")");
            e.initCause(cause);
            ctx.fireExceptionCaught(e);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // the ping interval passed with nothing sent: a ping keeps idle-timing proxies from cutting us off
            if (!closeSent) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dropPending();
        finishClose(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropPending();
    }

    // ---- out ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        if (closeSent) {
            buf.release();
            if (!promise.isVoid()) {
                promise.tryFailure(new java.nio.channels.ClosedChannelException());
            }
            return;
        }
        if (buf.isReadable()) {
            pending.add(buf);
            pendingBytes += buf.readableBytes();
        } else {
            buf.release();
        }
        if (!promise.isVoid()) {
            pendingPromises.add(promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        sendPending(ctx);
        ctx.flush();
    }

    /** Writes what the engine wrote since the last flush as one binary message (not flushed). */
    private void sendPending(ChannelHandlerContext ctx) {
        if (pending.isEmpty() && pendingPromises.isEmpty()) {
            return;
        }
        ChannelPromise promise = promiseForPending(ctx);
        if (pending.isEmpty()) {
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
            return;
        }
        ByteBuf message;
        if (pending.size() == 1) {
            message = pending.get(0);
        } else {
            CompositeByteBuf composite = ctx.alloc().compositeDirectBuffer(pending.size());
            composite.addComponents(true, pending);
            message = composite;
        }
        int length = pendingBytes;
        pending.clear();
        pendingBytes = 0;
        if (length <= maxFrameSize) {
            ctx.write(new BinaryWebSocketFrame(message), promise);
            return;
        }
        // longer than a frame may be: several whole binary messages, slices of the same memory. Not one message in
        // continuation frames: MQTT needs no message boundaries (MQTT-6.0.0-2), and some peers (Paho's Java
        // client) take every frame but a binary or close frame as an error
        try {
            for (int at = 0; at < length; at += maxFrameSize) {
                int size = Math.min(maxFrameSize, length - at);
                boolean last = at + size == length;
                ByteBuf part = message.retainedSlice(message.readerIndex() + at, size);
                ctx.write(new BinaryWebSocketFrame(part), last ? promise : ctx.voidPromise());
            }
        } finally {
            message.release();
        }
    }

    private ChannelPromise promiseForPending(ChannelHandlerContext ctx) {
        if (pendingPromises.isEmpty()) {
            return ctx.voidPromise();
        }
        if (pendingPromises.size() == 1) {
            ChannelPromise only = pendingPromises.get(0);
            pendingPromises.clear();
            return only;
        }
        List<ChannelPromise> waiting = new ArrayList<>(pendingPromises);
        pendingPromises.clear();
        ChannelPromise all = ctx.newPromise();
        all.addListener(f -> {
            for (ChannelPromise p : waiting) {
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            }
        });
        return all;
    }

    private void dropPending() {
        for (ByteBuf b : pending) {
            b.release();
        }
        pending.clear();
        pendingBytes = 0;
        for (ChannelPromise p : pendingPromises) {
            p.tryFailure(new java.nio.channels.ClosedChannelException());
        }
        pendingPromises.clear();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closing != null) {
            chain(closing, promise); // a close already under way: this one completes with it
            return;
        }
        if (closeSent || !ctx.channel().isActive()) {
            dropPending();
            ctx.close(promise);
            return;
        }
        sendPending(ctx); // what the engine wrote last (a DISCONNECT) goes before the close frame
        // RFC 6455 7.1.1: the server closes TCP once its close frame is out; the client waits for the server's
        // close frame (or TCP close)
        sendClose(ctx, WebSocketCloseStatus.NORMAL_CLOSURE, null, !client);
        chain(closing, promise);
    }

    /**
     * Sends a close frame (after which nothing is sent) and closes the channel when it is out ({@code closeWhenSent})
     * or when the peer answers it; in any case within {@link #CLOSE_WAIT_MILLIS}, should the peer not read.
     */
    private void sendClose(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason,
                           boolean closeWhenSent) {
        closeSent = true;
        closing = ctx.newPromise();
        closeTimer = ctx.executor().schedule(() -> finishClose(ctx), CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        CloseWebSocketFrame frame = reason == null ? new CloseWebSocketFrame(status)
                : new CloseWebSocketFrame(status, reason);
        ChannelFuture sent = ctx.writeAndFlush(frame);
        if (closeWhenSent) {
            sent.addListener(f -> finishClose(ctx));
        }
    }

    /** Closes the channel after a close frame went out: on the peer's answer, on the frame sent, or in time. */
    private void finishClose(ChannelHandlerContext ctx) {
        if (closeTimer != null) {
            closeTimer.cancel(false);
            closeTimer = null;
        }
        ChannelPromise waiting = closing;
        if (waiting != null && !waiting.isDone()) {
            ctx.close(waiting);
        }
    }

    /** Completes {@code caller} (unless void) when {@code closing} completes. */
    private static void chain(ChannelPromise closing, ChannelPromise caller) {
        if (!caller.isVoid()) {
            closing.addListener(f -> {
                if (f.isSuccess()) {
                    caller.trySuccess();
                } else {
                    caller.tryFailure(f.cause());
                }
            });
        }
    }
}
