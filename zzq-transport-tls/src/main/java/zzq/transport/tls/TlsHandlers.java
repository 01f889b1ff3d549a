package zzq.transport.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
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

    /**
     * Why TLS failed, in words, with the most telling message of the provider in brackets: the alert this side sent
     * or received (BouncyCastle's {@code TlsFatalAlert}, {@code TlsFatalAlertReceived}), and the certificate check
     * behind it.
     */
    static String reason(Throwable cause) {
        Throwable root = cause;
        short alert = -1;
        boolean received = false;
        boolean untrusted = false;
        String hostname = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof TlsFatalAlertReceived r && alert < 0) {
                alert = r.getAlertDescription();
                received = true;
            } else if (t instanceof TlsFatalAlert a && alert < 0) {
                alert = a.getAlertDescription();
            }
            untrusted |= t instanceof CertPathBuilderException || t instanceof CertPathValidatorException;
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateException && hostname == null && (m.contains("subject alternative")
                    || m.contains("hostname") || m.contains("host name") || m.contains("endpoint"))) {
                hostname = t.getMessage();
            }
        }
        String detail = root.getMessage() != null ? root.getMessage() : root.toString();
        String why;
        if (hostname != null) {
            return "the certificate does not name the host dialed (" + hostname + ")";
        } else if (untrusted) {
            why = "certificate not trusted";
        } else if (alert == AlertDescription.certificate_required) {
            why = received ? "the peer requires a client certificate signed by a CA it trusts"
                    : "the client presented no certificate signed by a trusted CA";
        } else if (alert == AlertDescription.protocol_version) {
            why = "no TLS protocol version in common";
        } else if (alert == AlertDescription.handshake_failure || alert == AlertDescription.insufficient_security) {
            why = "no cipher suite or parameters in common";
        } else if (received && (alert == AlertDescription.bad_certificate || alert == AlertDescription.unknown_ca
                || alert == AlertDescription.certificate_unknown || alert == AlertDescription.certificate_expired
                || alert == AlertDescription.unsupported_certificate
                || alert == AlertDescription.certificate_revoked)) {
            why = "the peer did not accept the certificate";
        } else if (root instanceof NotSslRecordException) {
            return "the peer does not speak TLS (plain MQTT to a TLS port?)";
        } else if (alert >= 0) {
            why = (received ? "the peer sent the alert " : "alert ") + AlertDescription.getText(alert);
        } else if (root instanceof ClosedChannelException || detail.toLowerCase(Locale.ROOT).contains("closed")) {
            why = "the connection closed during the handshake";
        } else {
            return cause.getMessage() != null ? cause.getMessage() : cause.toString();
        }
        return why + " (" + detail + ")";
    }
}
