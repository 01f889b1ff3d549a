package zzq.transport.tls;

import java.nio.file.Path;
import java.util.Set;
import javax.net.ssl.SSLContext;
import zzq.api.spi.TransportOption;

/**
 * The settings of TLS for {@code mqtts://} (and other transports over TLS, such as {@code wss://}), given as
 * {@link zzq.api.spi.TransportOptions}:
 *
 * <pre>{@code
 * broker.bind("mqtts://0.0.0.0:8883", TransportOptions.NONE
 *         .with(TlsOptions.CERT_FILE, Path.of("server.crt"))
 *         .with(TlsOptions.KEY_FILE, Path.of("server.key")));
 * ClientOptions.builder().transportOptions(TransportOptions.NONE
 *         .with(TlsOptions.CA_FILE, Path.of("ca.crt")))...
 * }</pre>
 *
 * <p>A listener needs its certificate and key: {@link #CERT_FILE} and {@link #KEY_FILE} (PEM), or a ready
 * {@link #SSL_CONTEXT}. A client trusts the JVM's default certificate authorities unless {@link #CA_FILE} names its
 * own; it presents a certificate (mutual TLS) when given {@link #CERT_FILE} and {@link #KEY_FILE}. TLS 1.3 is the
 * only protocol by default, with TLS_CHACHA20_POLY1305_SHA256 first in the order of cipher suites.
 */
public final class TlsOptions {
    /**
     * The certificate chain, PEM: the server's (a listener) or the client's own (mutual TLS), leaf first, then any
     * intermediate certificates.
     */
    public static final TransportOption<Path> CERT_FILE = new TransportOption<>("tls.certFile", Path.class);
    /**
     * The private key of {@link #CERT_FILE}, PEM: PKCS#8 ({@code BEGIN PRIVATE KEY}), encrypted PKCS#8
     * ({@code BEGIN ENCRYPTED PRIVATE KEY}) or a traditional OpenSSL key ({@code BEGIN RSA/EC PRIVATE KEY}, encrypted
     * or not). An encrypted key needs {@link #KEY_PASSWORD}.
     */
    public static final TransportOption<Path> KEY_FILE = new TransportOption<>("tls.keyFile", Path.class);
    /** The password of an encrypted {@link #KEY_FILE}. */
    public static final TransportOption<String> KEY_PASSWORD = new TransportOption<>("tls.keyPassword", String.class);
    /**
     * The certificate authorities to trust, PEM (one or more certificates): for a client, those that may sign the
     * broker's certificate (instead of the JVM's defaults); for a listener, those that may sign clients'
     * certificates (needed for {@link #CLIENT_AUTH}).
     */
    public static final TransportOption<Path> CA_FILE = new TransportOption<>("tls.caFile", Path.class);
    /**
     * A ready {@link SSLContext}, instead of the files: it supplies the keys and the trust. Protocols, cipher
     * suites, client authentication and hostname verification still follow these options.
     */
    public static final TransportOption<SSLContext> SSL_CONTEXT =
            new TransportOption<>("tls.sslContext", SSLContext.class);
    /** Whether a listener asks clients for a certificate: {@link ClientAuth#NONE} by default. */
    public static final TransportOption<ClientAuth> CLIENT_AUTH =
            new TransportOption<>("tls.clientAuth", ClientAuth.class);
    /**
     * The protocol versions allowed, comma separated: {@code "TLSv1.3"} (the default), {@code "TLSv1.2"} or
     * {@code "TLSv1.2,TLSv1.3"}. Case does not matter ({@code tlsv1.2}, as Mosquitto writes it, works too).
     */
    public static final TransportOption<String> PROTOCOLS = new TransportOption<>("tls.protocols", String.class);
    /**
     * Whether a client checks that the broker's certificate names the host it dialed (its subject alternative
     * names, DNS name or IP address): {@code true} by default.
     */
    public static final TransportOption<Boolean> VERIFY_HOSTNAME =
            new TransportOption<>("tls.verifyHostname", Boolean.class);
    /**
     * A client trusts any certificate and does not check the host name, as {@code mosquitto_sub --insecure}: for
     * tests only, since anyone in the path can then read and change the traffic. {@code false} by default.
     */
    public static final TransportOption<Boolean> INSECURE = new TransportOption<>("tls.insecure", Boolean.class);
    /**
     * After this many bytes of application data (both ways together) a connection is closed, so that a
     * reconnecting client gets fresh keys: {@link #DEFAULT_MAX_BYTES} by default.
     */
    public static final TransportOption<Long> MAX_BYTES = new TransportOption<>("tls.maxBytes", Long.class);

    /** The default of {@link #MAX_BYTES}: 128 GiB. */
    public static final long DEFAULT_MAX_BYTES = 128L << 30;

    /** Every option above: what a transport over TLS lists in {@code supportedOptions()}. */
    public static final Set<TransportOption<?>> ALL = Set.of(CERT_FILE, KEY_FILE, KEY_PASSWORD, CA_FILE,
            SSL_CONTEXT, CLIENT_AUTH, PROTOCOLS, VERIFY_HOSTNAME, INSECURE, MAX_BYTES);

    /** Whether a listener asks for clients' certificates. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A client may present a certificate; if it does, it must verify against {@link #CA_FILE}. */
        OPTIONAL,
        /** Every client must present a certificate that verifies against {@link #CA_FILE}. */
        REQUIRE
    }

    private TlsOptions() {
    }
}
