package zzq.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP side of a dialed connection until it is upgraded: sends the upgrade request asking for subprotocol
 * {@code mqtt} once TCP (and TLS, when there is a handshake to wait for) is up, checks the answer (101, accept key, subprotocol {@code mqtt}:
 * MQTT-6.0.0-4), hands the upgraded channel on and completes the dial. Any other answer, a close or the handshake
 * timeout fails the dial with an {@link IOException} that says what happened.
 */
final class WsClientUpgrade extends WsUpgradeHandler {
    private final WebSocketClientHandshaker handshaker;
    private final String url;
    /** The TLS handshake to wait for before the upgrade request, or {@code null} without TLS. */
    private final Future<Channel> secured;
    private final Promise<Channel> dialed;
    /** Builds the WebSocket side of the pipeline and hands the channel to the engine. */
    private final Consumer<ChannelHandlerContext> upgraded;

    WsClientUpgrade(WebSocketClientHandshaker handshaker, String url, Future<Channel> secured, long timeoutNanos,
                    Promise<Channel> dialed, Consumer<ChannelHandlerContext> upgraded) {
        super(timeoutNanos);
        this.handshaker = handshaker;
        this.url = url;
        this.secured = secured;
        this.dialed = dialed;
        this.upgraded = upgraded;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
        ctx.fireChannelActive();
    }

    private void begin(ChannelHandlerContext ctx) {
        if (secured == null) {
            sendRequest(ctx);
            return;
        }
        secured.addListener(f -> {
            if (f.isSuccess()) {
                sendRequest(ctx);
            } else {
                Throwable cause = f.cause();
                fail(ctx, cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause));
            }
        });
    }

    private void sendRequest(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(ctx, new IOException("cannot send the WebSocket upgrade request to " + url + ": " + f.cause(),
                        f.cause()));
            }
        });
    }

    @Override
    void timedOut(ChannelHandlerContext ctx) {
        fail(ctx, new IOException("no WebSocket upgrade from " + url + " within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse response) || dialed.isDone()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (!HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status())) {
                fail(ctx, new IOException(url + " refused the WebSocket upgrade: HTTP " + response.status()
                        + body(response)));
                return;
            }
            try {
                handshaker.finishHandshake(ctx.channel(), response);
            } catch (WebSocketHandshakeException e) {
                fail(ctx, new IOException("bad WebSocket upgrade answer from " + url + ": " + e.getMessage(), e));
                return;
            }
        } finally {
            response.release();
        }
        upgraded.accept(ctx);
        if (!dialed.trySuccess(ctx.channel())) {
            ctx.channel().close(); // given up on meanwhile
        }
    }

    /** The first line of a refusal's text, which often says why. */
    private static String body(FullHttpResponse response) {
        String text = response.content().toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        int eol = text.indexOf('\n');
        String line = eol < 0 ? text : text.substring(0, eol).strip();
        if (line.length() > 200) {
            line = line.substring(0, 200) + "...";
        }
        return line.isEmpty() ? "" : " (" + line + ")";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new IOException(url + " closed the connection during the WebSocket upgrade"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause instanceof IOException io ? io
                : new IOException("WebSocket upgrade with " + url + " failed: " + cause, cause));
    }

    private void fail(ChannelHandlerContext ctx, IOException why) {
        if (dialed.tryFailure(why)) {
            ctx.close();
        }
    }
}
