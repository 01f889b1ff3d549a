package zzq.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import zzq.api.Endpoint;

/**
 * A TLS peer that is not BouncyCastle: the JDK's own SunJSSE, as a plain socket client, to see what a zzq listener
 * negotiates with a stranger (protocol, cipher suite) and that its certificate verifies elsewhere too.
 */
final class JdkTlsClient {
    private JdkTlsClient() {
    }

    /** Handshakes with {@code at}, trusting {@code caFile}, offering {@code protocols}; returns the session. */
    static SSLSession handshake(Endpoint at, Path caFile, String... protocols)
            throws IOException, GeneralSecurityException {
        try (SSLSocket socket = (SSLSocket) trusting(caFile).getSocketFactory().createSocket(at.host(), at.port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(protocols);
            socket.startHandshake();
            return socket.getSession();
        }
    }

    /** A SunJSSE context that trusts the CA of {@code caFile} (read with the JDK's own PEM reader). */
    static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS"); // the JDK's default provider: SunJSSE
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
