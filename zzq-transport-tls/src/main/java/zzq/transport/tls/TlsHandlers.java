package zzq.transport.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import zzq.api.Endpoint;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOptions;

/**
 * Netty's TLS handlers set up from {@link TlsOptions}, for {@code mqtts://} and for other transports that run over
 * TLS ({@code wss://}). The settings of one {@link TransportOptions} object are read once (files, keys, the
 * context) and kept while that object lives: {@link #checkServer}/{@link #checkClient} read them afresh.
 *
 * <p>A listener's channel, in its initializer:
 * <pre>{@code
 * TlsHandlers.addServerHandlers(ch.pipeline(), options); // TLS, the client's identity, the rekey limit
 * ... // the transport's own handlers, then context.initialize(ch, endpoint)
 * }</pre>
 * A dial: {@link #addClientHandlers}, whose future tells when the handshake is done (or why it failed).
 */
public final class TlsHandlers {
    /** The name of the {@link SslHandler} in a pipeline set up here. */
    public static final String SSL_HANDLER = "tls";
    /** The name of the handler behind it (identity, clear errors, the {@link TlsOptions#MAX_BYTES} limit). */
    public static final String SESSION_HANDLER = "tls-session";

    private static final Map<TransportOptions, TlsConfig> SERVERS = new WeakHashMap<>();
    private static final Map<TransportOptions, TlsConfig> CLIENTS = new WeakHashMap<>();

    private TlsHandlers() {
    }

    /**
     * Reads and checks a listener's TLS settings now (files, password, key against certificate), so that a bind
     * fails with the reason rather than its first connection; later handlers for {@code options} use them.
     *
     * @throws IllegalArgumentException for missing or contradictory settings, bad PEM, a wrong password, a key that
     *                                  is not the certificate's
     * @throws IOException              when a file cannot be read (naming the file)
     */
    public static void checkServer(TransportOptions options) throws IOException {
        TlsConfig config = TlsConfig.server(options);
        synchronized (SERVERS) {
            SERVERS.put(options, config);
        }
    }

    /** Reads and checks a client's TLS settings now; the same errors as {@link #checkServer}. */
    public static void checkClient(TransportOptions options) throws IOException {
        TlsConfig config = TlsConfig.client(options);
        synchronized (CLIENTS) {
            CLIENTS.put(options, config);
        }
    }

    /**
     * A listener's {@link SslHandler} for one accepted channel.
     *
     * @param alloc the channel's allocator (unused by the JDK-style engine; kept for other engines)
     * @throws IllegalArgumentException for bad settings, {@link UncheckedIOException} for unreadable files
     */
    public static SslHandler forServer(TransportOptions options, ByteBufAllocator alloc) {
        return new SslHandler(server(options).newServerEngine());
    }

    /**
     * A client's {@link SslHandler} for one dial of {@code endpoint}, whose host the broker's certificate must name
     * (unless {@link TlsOptions#VERIFY_HOSTNAME} is off or {@link TlsOptions#INSECURE} on).
     *
     * @throws IllegalArgumentException for bad settings, {@link UncheckedIOException} for unreadable files
     */
    public static SslHandler forClient(TransportOptions options, Endpoint endpoint, ByteBufAllocator alloc) {
        return new SslHandler(client(options).newClientEngine(endpoint));
    }

    /**
     * Once {@code ssl}'s handshake succeeds, sets {@link TransportContext#TRANSPORT_IDENTITY} on {@code channel} to
     * the subject (RFC 2253) of the peer's verified certificate, when it presented one.
     */
    public static void setIdentityAfterHandshake(Channel channel, SslHandler ssl) {
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                String identity = peerSubject(ssl);
                if (identity != null) {
                    channel.attr(TransportContext.TRANSPORT_IDENTITY).set(identity);
                }
            }
        });
    }

    /**
     * Adds a listener's TLS handlers at the end of {@code pipeline}: the {@link SslHandler} ({@link #SSL_HANDLER})
     * and the session handler ({@link #SESSION_HANDLER}), which sets the client certificate's identity, passes on
     * a failed handshake as one {@link SSLHandshakeException} saying why, and closes the connection past
     * {@link TlsOptions#MAX_BYTES}.
     */
    public static void addServerHandlers(ChannelPipeline pipeline, TransportOptions options) {
        TlsConfig config = server(options);
        SslHandler ssl = new SslHandler(config.newServerEngine());
        pipeline.addLast(SSL_HANDLER, ssl);
        pipeline.addLast(SESSION_HANDLER, new TlsSession(ssl, config.maxBytes, true, null));
    }

    /**
     * Adds a client's TLS handlers at the end of {@code pipeline} for a dial of {@code endpoint}. The future
     * completes with the channel once the handshake succeeds, or fails with an {@link SSLHandshakeException}
     * saying why ("TLS handshake with mqtts://host:port failed: certificate not trusted (...)"). A failed handshake
     * is not passed to the handlers behind: hand the channel to the engine once the future succeeds.
     */
    public static Future<Channel> addClientHandlers(ChannelPipeline pipeline, TransportOptions options,
                                                    Endpoint endpoint) {
        TlsConfig config = client(options);
        SslHandler ssl = new SslHandler(config.newClientEngine(endpoint));
        pipeline.addLast(SSL_HANDLER, ssl);
        pipeline.addLast(SESSION_HANDLER, new TlsSession(ssl, config.maxBytes, false, endpoint.toString()));
        Promise<Channel> done = pipeline.channel().eventLoop().newPromise();
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                done.trySuccess(pipeline.channel());
            } else {
                done.tryFailure(handshakeFailure(endpoint.toString(), f.cause()));
            }
        });
        return done;
    }

    private static TlsConfig server(TransportOptions options) {
        synchronized (SERVERS) {
            return SERVERS.computeIfAbsent(options, o -> load(() -> TlsConfig.server(o)));
        }
    }

    private static TlsConfig client(TransportOptions options) {
        synchronized (CLIENTS) {
            return CLIENTS.computeIfAbsent(options, o -> load(() -> TlsConfig.client(o)));
        }
    }

    private interface Loader {
        TlsConfig load() throws IOException;
    }

    private static TlsConfig load(Loader loader) {
        try {
            return loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static String peerSubject(SslHandler ssl) {
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                return leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
            }
        } catch (SSLPeerUnverifiedException noCertificate) {
            // CLIENT_AUTH OPTIONAL and the client sent none
        }
        return null;
    }

    // ---- errors ----

    /** A failed handshake with {@code peer}, as one exception whose message says it was the handshake and why. */
    static SSLHandshakeException handshakeFailure(String peer, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("TLS handshake with " + peer + " failed: "
                + reason(cause));
        e.initCause(cause);
        return e;
    }

    static SSLException failure(String what, Throwable cause) {
        return new SSLException(what + ": " + reason(cause), cause);
    }

    /** The {@link SSLException} in {@code cause}'s chain (Netty wraps it in a DecoderException), or null. */
    static SSLException sslCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    /** Why a handshake failed, in words, with the provider's own message in brackets. */
    static String reason(Throwable cause) {
        Throwable root = cause;
        boolean untrusted = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            root = t;
            untrusted |= t instanceof CertPathBuilderException || t instanceof CertPathValidatorException;
        }
        String detail = String.valueOf(cause.getMessage());
        String rootDetail = String.valueOf(root.getMessage());
        String all = (detail + " " + rootDetail).toLowerCase(Locale.ROOT);
        String why;
        if (untrusted || all.contains("pkix") || all.contains("certification path")) {
            why = "certificate not trusted";
        } else if (all.contains("hostname") || all.contains("host name") || all.contains("subject alternative")
                || all.contains("endpoint identification") || all.contains("does not match")) {
            why = "the certificate does not name the host";
        } else if (all.contains("protocol_version") || all.contains("protocol version")
                || all.contains("no appropriate protocol") || all.contains("no protocols")) {
            why = "no TLS protocol version in common";
        } else if (all.contains("certificate_required")) {
            why = "the peer requires a client certificate";
        } else if (all.contains("bad_certificate") || all.contains("unknown_ca")
                || all.contains("certificate_unknown")) {
            why = "the peer did not accept the certificate";
        } else if (all.contains("handshake_failure") || all.contains("cipher suite")) {
            why = "no cipher suite or parameters in common";
        } else if (cause instanceof java.nio.channels.ClosedChannelException || all.contains("closed")) {
            why = "the connection closed during the handshake";
        } else {
            why = "";
        }
        if (why.isEmpty()) {
            return detail.equals(rootDetail) || rootDetail.equals("null") ? detail : detail + "; " + rootDetail;
        }
        return why + " (" + (rootDetail.equals("null") ? detail : rootDetail) + ")";
    }
}
