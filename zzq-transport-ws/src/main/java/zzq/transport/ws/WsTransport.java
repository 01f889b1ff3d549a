package zzq.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;
import zzq.transport.tcp.TcpTransport;
import zzq.transport.tls.TlsHandlers;
import zzq.transport.tls.TlsOptions;

/**
 * MQTT over WebSockets (MQTT 5.0 and 3.1.1, section 6): {@code ws://host:port/path}, default port 80, and over
 * TLS, {@code wss://host:port/path}, default port 443, with the TLS settings of {@link TlsOptions} (a listener
 * needs its certificate and key; mutual TLS gives the engine the client certificate's identity).
 *
 * <p>A listener answers HTTP upgrade requests for its URL's path (any path when the URL has none; others get HTTP
 * 404) with the subprotocol the client asks for among {@code mqtt}, {@code mqttv3.1.1} and {@code mqttv3.1}; a
 * client asks for {@code mqtt}. MQTT travels in binary frames, in any framing: the engine sees plain bytes. See
 * {@link WsOptions} for the frame size limit, the Origin allow-list, extra headers on dial and pings for proxies.
 * The host may be a name, IPv4, IPv6, {@code 0.0.0.0} or {@code *}, as for TCP.
 */
public final class WsTransport implements Transport {
    /** The port of {@code ws://} URLs that give none: HTTP's. */
    public static final int DEFAULT_PORT = 80;
    /** The port of {@code wss://} URLs that give none: HTTPS's. */
    public static final int DEFAULT_TLS_PORT = 443;
    /** The largest HTTP upgrade request or refusal read; a GET upgrade has no body. */
    private static final int MAX_HTTP_MESSAGE = 16 * 1024;
    /** The TCP sockets under the HTTP and WebSocket layers. */
    private final TcpTransport tcp = new TcpTransport();
    private static final Set<TransportOption<?>> OPTIONS = options();

    @Override
    public Set<String> schemes() {
        return Set.of("ws", "wss");
    }

    @Override
    public int defaultPort(String scheme) {
        return "wss".equals(scheme) ? DEFAULT_TLS_PORT : DEFAULT_PORT;
    }

    /** {@link WsOptions}' options, and {@link TlsOptions}' for {@code wss://}. */
    @Override
    public Set<TransportOption<?>> supportedOptions() {
        return OPTIONS;
    }

    private static Set<TransportOption<?>> options() {
        Set<TransportOption<?>> all = new HashSet<>(TlsOptions.ALL);
        all.addAll(Set.of(WsOptions.MAX_FRAME_SIZE, WsOptions.ORIGINS, WsOptions.HEADERS, WsOptions.PING_INTERVAL,
                WsOptions.HANDSHAKE_TIMEOUT));
        return Set.copyOf(all);
    }

    private static boolean tls(Endpoint endpoint) {
        return "wss".equals(endpoint.scheme());
    }

    private int portOf(Endpoint endpoint) {
        return endpoint.portOr(defaultPort(endpoint.scheme()));
    }

    @Override
    public Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) throws IOException {
        WsSettings settings = WsSettings.of(options);
        boolean tls = tls(endpoint);
        if (tls) {
            try {
                TlsHandlers.checkServer(options); // every file read and checked now, not at the first connection
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("wss:// needs TLS settings (zzq.transport.tls.TlsOptions): "
                        + e.getMessage(), e);
            }
        }
        String path = servedPath(endpoint);
        // the TCP transport's listener (hosts, wildcards, port 0, the close that frees the port), WebSocket inside
        return tcp.bind(endpoint.withPort(portOf(endpoint)), TransportOptions.NONE, context.withHandOff((ch, at) -> {
            ChannelPipeline p = ch.pipeline();
            if (tls) {
                TlsHandlers.addServerHandlers(p, options); // and the client certificate's identity, if any
            }
            p.addLast("http", new HttpServerCodec());
            p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_MESSAGE));
            p.addLast("ws-upgrade", new WsServerUpgrade(settings, at.toString(), path,
                    ctx -> upgraded(ctx, false, settings, context, at)));
        }));
    }

    /** The path a listener serves: the URL's without its query, or {@code null} (any path) when it has none. */
    static String servedPath(Endpoint endpoint) {
        String path = endpoint.path();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        return path.isEmpty() ? null : path;
    }

    @Override
    public Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context) {
        Promise<Channel> promise = context.group().next().newPromise();
        boolean tls = tls(endpoint);
        Endpoint dialed = endpoint.withPort(portOf(endpoint));
        WsSettings settings;
        WebSocketClientHandshaker handshaker;
        try {
            if (tls) {
                TlsHandlers.checkClient(options); // read afresh at each dial: renewed files are picked up
            }
            settings = WsSettings.of(options);
            HttpHeaders headers = new DefaultHttpHeaders();
            settings.headers().forEach(headers::add);
            URI url = URI.create(dialed.toString());
            // no Origin header unless given: this is not a browser; frames are masked, as a client's must be
            handshaker = WebSocketClientHandshakerFactory.newHandshaker(url, WebSocketVersion.V13, "mqtt", false,
                    headers, settings.maxFrameSize(), true, false, -1, false, false);
        } catch (IllegalArgumentException | IOException e) {
            return promise.setFailure(e);
        }
        tcp.connect(dialed, TransportOptions.NONE, context.withHandOff((ch, at) -> {
            ChannelPipeline p = ch.pipeline();
            // over TLS, the upgrade request goes once the handshake succeeded; a failed one fails the dial with its
            // reason
            Future<Channel> secured = tls ? TlsHandlers.addClientHandlers(p, options, dialed) : null;
            p.addLast("http", new HttpClientCodec());
            p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_MESSAGE));
            p.addLast("ws-upgrade", new WsClientUpgrade(handshaker, dialed.toString(), secured,
                    settings.handshakeTimeout().toNanos(), promise,
                    ctx -> upgraded(ctx, true, settings, context, endpoint)));
        })).addListener((Future<Channel> connected) -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
            }
        });
        return promise;
    }

    /**
     * Puts the WebSocket side in place of the upgrade handler at {@code ctx} (its frame codec is Netty's, added by
     * the handshake) and hands the channel to the engine.
     */
    private static void upgraded(ChannelHandlerContext ctx, boolean client, WsSettings settings,
                                 TransportContext context, Endpoint endpoint) {
        ChannelPipeline p = ctx.pipeline();
        p.replace(ctx.handler(), "ws", new WsFrames(client, settings.maxFrameSize()));
        if (settings.pingInterval() != null) {
            p.addBefore("ws", "ws-ping", new IdleStateHandler(0, settings.pingInterval().toMillis(), 0,
                    TimeUnit.MILLISECONDS));
        }
        context.initialize(ctx.channel(), endpoint);
    }
}
