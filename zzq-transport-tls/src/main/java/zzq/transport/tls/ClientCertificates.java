package zzq.transport.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client's key manager that remembers, per engine, that the server asked for a certificate and none was sent:
 * a server that then closes the connection (OpenSSL's, whose alert can be lost to the reset of the client's early
 * data) is explained by it, not reported as a bare close.
 */
final class ClientCertificates extends X509ExtendedKeyManager {
    private static final Map<SSLEngine, String> UNANSWERED = new WeakHashMap<>();

    /** {@code null}: no certificate configured. */
    private final X509ExtendedKeyManager delegate;

    private ClientCertificates(X509ExtendedKeyManager delegate) {
        this.delegate = delegate;
    }

    /** The key managers of a client: {@code configured} (its certificate), or none, both watched. */
    static KeyManager[] watching(KeyManager[] configured) {
        if (configured == null) {
            return new KeyManager[] {new ClientCertificates(null)};
        }
        for (int i = 0; i < configured.length; i++) {
            if (configured[i] instanceof X509ExtendedKeyManager km) {
                configured[i] = new ClientCertificates(km);
            }
        }
        return configured;
    }

    /**
     * Why the server may have closed {@code engine}'s connection after its handshake: it asked for a certificate
     * and none was sent; {@code null} when it did not ask or one was sent.
     */
    static String unanswered(SSLEngine engine) {
        synchronized (UNANSWERED) {
            return UNANSWERED.get(engine);
        }
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        String alias = delegate == null ? null : delegate.chooseEngineClientAlias(keyType, issuers, engine);
        if (alias == null && engine != null) {
            synchronized (UNANSWERED) {
                UNANSWERED.put(engine, delegate == null
                        ? "the broker asked for a client certificate and none is configured (CERT_FILE, KEY_FILE)"
                        : "the broker asked for a client certificate signed by a CA it names, and the configured "
                        + "one (CERT_FILE) is not");
            }
        }
        return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate == null ? null : delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return delegate == null ? null : delegate.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate == null ? null : delegate.getPrivateKey(alias);
    }
}
