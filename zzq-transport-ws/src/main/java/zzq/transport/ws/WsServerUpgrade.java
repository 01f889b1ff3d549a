package zzq.transport.ws;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of an accepted connection until it is upgraded: checks the request's path (404), Origin (403),
 * method (405), upgrade headers (426, 400) and subprotocols (400), answers 101 with the MQTT subprotocol the
 * client asked for, and hands the upgraded channel on. A connection that has not upgraded within the handshake
 * timeout is closed.
 */
final class WsServerUpgrade extends WsUpgradeHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WsServerUpgrade.class);
    /** The subprotocols offered, in order: MQTT's (MQTT-6.0.0-3/4), and the older names 3.1.1 and 3.1 clients ask. */
    static final String SUBPROTOCOLS = "mqtt,mqttv3.1.1,mqttv3.1";

    private final WsSettings settings;
    /** The one path served, or {@code null} for any. */
    private final String path;
    private final WebSocketServerHandshakerFactory handshakers;
    /** Builds the WebSocket side of the pipeline once the 101 is on its way, and hands the channel to the engine. */
    private final Consumer<ChannelHandlerContext> upgraded;
    /** Whether the request was answered (upgraded or refused): anything after it is ignored. */
    private boolean answered;

    WsServerUpgrade(WsSettings settings, String webSocketUrl, String path,
                    Consumer<ChannelHandlerContext> upgraded) {
        super(settings.handshakeTimeout().toNanos());
        this.settings = settings;
        this.path = path;
        this.upgraded = upgraded;
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxFrameSize())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false)
                .build();
        this.handshakers = new WebSocketServerHandshakerFactory(webSocketUrl, SUBPROTOCOLS, frames);
    }

    @Override
    void timedOut(ChannelHandlerContext ctx) {
        if (!answered) {
            LOG.debug("{}: no WebSocket upgrade within {}", ctx.channel(), settings.handshakeTimeout());
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answered || !(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            answer(ctx, request);
        } finally {
            request.release();
        }
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        answered = true;
        if (request.decoderResult().isFailure()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        String requested = pathOf(request.uri());
        if (path != null && !path.equals(requested)) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "no MQTT WebSocket endpoint at " + requested);
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !settings.origins().isEmpty()
                && !settings.origins().contains(origin.toLowerCase(Locale.ROOT))) {
            refuse(ctx, HttpResponseStatus.FORBIDDEN, "origin " + origin + " is not allowed");
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse no = response(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "a WebSocket upgrade is a GET");
            no.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            send(ctx, no);
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            FullHttpResponse no = response(ctx, HttpResponseStatus.UPGRADE_REQUIRED,
                    "MQTT over WebSocket: upgrade to websocket with subprotocol mqtt");
            no.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            send(ctx, no);
            return;
        }
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered != null && !offersMqtt(offered)) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "no MQTT subprotocol offered (" + SUBPROTOCOLS
                    + "), only " + offered);
            return;
        }
        // RFC 6455 only (version 13): not the drafts before it, which Netty would still speak
        WebSocketServerHandshaker handshaker = "13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                ? handshakers.newHandshaker(request) : null;
        if (handshaker == null) {
            FullHttpResponse no = response(ctx, HttpResponseStatus.UPGRADE_REQUIRED, "unsupported WebSocket version");
            no.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            send(ctx, no);
            return;
        }
        ChannelFuture done;
        try {
            done = handshaker.handshake(ctx.channel(), request);
        } catch (WebSocketHandshakeException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        done.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                LOG.debug("{}: WebSocket upgrade failed", f.channel(), f.cause());
                f.channel().close();
            }
        });
        upgraded.accept(ctx);
    }

    private static boolean offersMqtt(String offered) {
        for (String p : offered.split(",")) {
            for (String ours : SUBPROTOCOLS.split(",")) {
                if (p.trim().equals(ours)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The path of a request target: origin form ({@code /mqtt?x}) or absolute form ({@code http://h/mqtt}). */
    static String pathOf(String target) {
        if (!target.startsWith("/")) {
            try {
                String raw = new URI(target).getRawPath();
                return raw == null || raw.isEmpty() ? "/" : raw;
            } catch (URISyntaxException e) {
                return target;
            }
        }
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        LOG.debug("{}: WebSocket upgrade refused, {}: {}", ctx.channel(), status, why);
        send(ctx, response(ctx, status, why));
    }

    private static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(ctx.alloc(), text + "\n"));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
