package zzq.transport.tls;

import java.security.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * The BouncyCastle providers this module uses, as objects: a library must not change the JVM's list of security
 * providers, so they are passed by reference wherever a provider is named and never installed.
 */
final class Bc {
    /** bcprov: the cryptography (keys, signatures, ciphers, key stores). */
    static final Provider CRYPTO = new BouncyCastleProvider();
    /** bctls: the TLS protocol (SSLContext, key and trust manager factories), its cryptography from {@link #CRYPTO}. */
    static final Provider JSSE;
    /**
     * BC JSSE logs a line at INFO (java.util.logging) for every connection it opens and closes, and warnings about
     * JDK security properties it does not read: unless the application set a level for it, only its errors show.
     * Held here, since java.util.logging keeps its loggers weakly.
     */
    private static final Logger JSSE_LOG = Logger.getLogger("org.bouncycastle.jsse");

    static {
        if (JSSE_LOG.getLevel() == null) {
            JSSE_LOG.setLevel(Level.SEVERE);
        }
        JSSE = new BouncyCastleJsseProvider(CRYPTO);
    }

    private Bc() {
    }
}
