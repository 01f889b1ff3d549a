package zzq.transport.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.transport.tls.TlsOptions.ClientAuth;

/**
 * One side's TLS settings, checked and loaded once (files read, keys decrypted, the SSLContext built): it makes a
 * configured {@link SSLEngine} per connection.
 */
final class TlsConfig {
    /** Strongest and fastest first: ChaCha20-Poly1305 leads (fast without AES hardware, constant time). */
    static final List<String> CIPHER_SUITE_ORDER = List.of(
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            // TLS 1.2, when allowed
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    private static final String TLS12 = "TLSv1.2";
    private static final String TLS13 = "TLSv1.3";

    final SSLContext context;
    final String[] protocols;
    /** Our order of the suites the context supports; {@code null} keeps the context's own. */
    final String[] cipherSuites;
    final ClientAuth clientAuth;
    final boolean verifyHostname;
    final long maxBytes;

    private TlsConfig(SSLContext context, String[] protocols, ClientAuth clientAuth, boolean verifyHostname,
                      long maxBytes) {
        this.context = context;
        this.protocols = protocols;
        this.clientAuth = clientAuth;
        this.verifyHostname = verifyHostname;
        this.maxBytes = maxBytes;
        Set<String> supported = Set.of(context.createSSLEngine().getSupportedCipherSuites());
        String[] ours = CIPHER_SUITE_ORDER.stream().filter(supported::contains).toArray(String[]::new);
        this.cipherSuites = ours.length == 0 ? null : ours;
    }

    /**
     * A listener's settings.
     *
     * @throws IllegalArgumentException for missing or contradictory settings, bad PEM, a wrong password, a key that
     *                                  is not the certificate's
     * @throws IOException              when a file cannot be read
     */
    static TlsConfig server(TransportOptions options) throws IOException {
        ClientAuth clientAuth = options.get(TlsOptions.CLIENT_AUTH).orElse(ClientAuth.NONE);
        SSLContext context = options.get(TlsOptions.SSL_CONTEXT).orElse(null);
        Path cert = options.get(TlsOptions.CERT_FILE).orElse(null);
        Path key = options.get(TlsOptions.KEY_FILE).orElse(null);
        Path ca = options.get(TlsOptions.CA_FILE).orElse(null);
        if (context != null) {
            if (cert != null || key != null || ca != null) {
                throw new IllegalArgumentException("TLS: give either SSL_CONTEXT or the files (CERT_FILE, KEY_FILE, "
                        + "CA_FILE), not both");
            }
        } else {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("TLS: a listener needs its certificate and key: CERT_FILE and "
                        + "KEY_FILE (or SSL_CONTEXT)" + (cert == null && key == null ? ""
                        : cert == null ? "; CERT_FILE is missing" : "; KEY_FILE is missing"));
            }
            if (clientAuth != ClientAuth.NONE && ca == null) {
                throw new IllegalArgumentException("TLS: CLIENT_AUTH " + clientAuth + " needs CA_FILE, the "
                        + "certificate authorities that sign clients' certificates");
            }
            context = newContext(keyManagers(cert, key, options.get(TlsOptions.KEY_PASSWORD).orElse(null)),
                    ca == null ? null : trustManagers(ca));
        }
        return new TlsConfig(context, protocols(options), clientAuth, false, maxBytes(options));
    }

    /** A client's settings; the same errors as {@link #server}. */
    static TlsConfig client(TransportOptions options) throws IOException {
        SSLContext context = options.get(TlsOptions.SSL_CONTEXT).orElse(null);
        Path cert = options.get(TlsOptions.CERT_FILE).orElse(null);
        Path key = options.get(TlsOptions.KEY_FILE).orElse(null);
        Path ca = options.get(TlsOptions.CA_FILE).orElse(null);
        boolean insecure = options.get(TlsOptions.INSECURE).orElse(false);
        boolean verifyHostname = !insecure && options.get(TlsOptions.VERIFY_HOSTNAME).orElse(true);
        if (context != null) {
            if (cert != null || key != null || ca != null) {
                throw new IllegalArgumentException("TLS: give either SSL_CONTEXT or the files (CERT_FILE, KEY_FILE, "
                        + "CA_FILE), not both");
            }
            if (insecure) {
                throw new IllegalArgumentException("TLS: INSECURE cannot change the trust of a given SSL_CONTEXT");
            }
        } else {
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("TLS: a client certificate needs both CERT_FILE and KEY_FILE; "
                        + (cert == null ? "CERT_FILE" : "KEY_FILE") + " is missing");
            }
            KeyManager[] keys = ClientCertificates.watching(cert == null ? null
                    : keyManagers(cert, key, options.get(TlsOptions.KEY_PASSWORD).orElse(null)));
            TrustManager[] trust = insecure ? new TrustManager[] {new TrustingEveryone()}
                    : ca == null ? null : trustManagers(ca);
            context = newContext(keys, trust);
        }
        return new TlsConfig(context, protocols(options), ClientAuth.NONE, verifyHostname, maxBytes(options));
    }

    /** A listener's engine for one accepted connection. */
    SSLEngine newServerEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = parameters(engine);
        p.setUseCipherSuitesOrder(true); // the server's order decides: ChaCha20 first
        if (clientAuth == ClientAuth.REQUIRE) {
            p.setNeedClientAuth(true);
        } else if (clientAuth == ClientAuth.OPTIONAL) {
            p.setWantClientAuth(true);
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** A client's engine for one dial of {@code endpoint}: its host for hostname verification and SNI. */
    SSLEngine newClientEngine(Endpoint endpoint) {
        SSLEngine engine = context.createSSLEngine(endpoint.host(), endpoint.port());
        engine.setUseClientMode(true);
        SSLParameters p = parameters(engine);
        if (verifyHostname) {
            // RFC 2818 / 6125 rules: the host (a name or an IP address) must be among the certificate's SANs
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (isHostName(endpoint.host())) {
            try {
                p.setServerNames(List.of(new SNIHostName(endpoint.host())));
            } catch (IllegalArgumentException notADnsName) {
                // a host the resolver takes but SNI cannot carry (an underscore): dial without SNI
            }
        }
        engine.setSSLParameters(p);
        return engine;
    }

    private SSLParameters parameters(SSLEngine engine) {
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        if (cipherSuites != null) {
            p.setCipherSuites(cipherSuites);
        }
        return p;
    }

    private static boolean isHostName(String host) {
        // SNI carries DNS names only, not IP literals (RFC 6066 section 3)
        return host != null && host.indexOf(':') < 0 && !host.matches("[0-9.]+");
    }

    static String[] protocols(TransportOptions options) {
        String text = options.get(TlsOptions.PROTOCOLS).orElse(TLS13);
        Set<String> result = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.equals("tlsv1.3") || p.equals("tls1.3")) {
                result.add(TLS13);
            } else if (p.equals("tlsv1.2") || p.equals("tls1.2")) {
                result.add(TLS12);
            } else {
                throw new IllegalArgumentException("TLS: PROTOCOLS '" + text + "' names '" + part.trim()
                        + "'; allowed are TLSv1.2 and TLSv1.3 (comma separated)");
            }
        }
        return result.toArray(String[]::new);
    }

    private static long maxBytes(TransportOptions options) {
        long max = options.get(TlsOptions.MAX_BYTES).orElse(TlsOptions.DEFAULT_MAX_BYTES);
        if (max <= 0) {
            throw new IllegalArgumentException("TLS: MAX_BYTES must be positive, not " + max);
        }
        return max;
    }

    private static SSLContext newContext(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS", Bc.JSSE);
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS: BouncyCastle JSSE cannot make a TLS context: " + e, e);
        }
    }

    private static KeyManager[] keyManagers(Path certFile, Path keyFile, String password) throws IOException {
        List<X509Certificate> chain = Pem.certificates(certFile, "CERT_FILE");
        PrivateKey key = Pem.privateKey(keyFile, password);
        Pem.checkPair(key, chain.get(0), keyFile, certFile);
        try {
            char[] storePassword = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12", Bc.CRYPTO);
            store.load(null, null);
            store.setKeyEntry("key", key, storePassword, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", Bc.JSSE);
            factory.init(store, storePassword);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: the key (KEY_FILE) " + keyFile + " and certificate (CERT_FILE) "
                    + certFile + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(Path caFile) throws IOException {
        List<X509Certificate> cas = Pem.certificates(caFile, "CA_FILE");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12", Bc.CRYPTO);
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", Bc.JSSE);
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS: the CA file (CA_FILE) " + caFile + " cannot be used: "
                    + e.getMessage(), e);
        }
    }

    /** {@link TlsOptions#INSECURE}: every certificate is taken, as mosquitto's --insecure. */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
