package zzq.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import zzq.api.spi.TransportOptions;
import zzq.transport.tls.TlsOptions;

/**
 * The TLS settings of a broker listener, from flags ({@code --cert}) or a configuration file ({@code certfile}),
 * and the one place that checks them and turns them into {@link TlsOptions}. The files are read when the listener
 * binds, and the TLS transport names a bad one then.
 *
 * @param cert               the certificate (chain) file, or {@code null}
 * @param key                its private key file, or {@code null}
 * @param keyPassword        the key's password, or {@code null}
 * @param caFile             the CAs that sign client certificates, or {@code null}
 * @param requireCertificate whether clients must present a certificate
 * @param tlsVersion         Mosquitto's spelling ({@code tlsv1.3}, {@code tlsv1.2}, both comma separated), or
 *                           {@code null} for the default
 */
record ServerTls(Path cert, Path key, String keyPassword, Path caFile, boolean requireCertificate,
        String tlsVersion) {

    /** What each setting is called where it was written, by its flag name: {@code cert} → {@code certfile}. */
    static final Map<String, String> CONFIG_NAMES = Map.of("cert", "certfile", "key", "keyfile",
            "key-password", "keyfile_password", "cafile", "cafile", "require-certificate", "require_certificate",
            "tls-version", "tls_version");

    /**
     * Checks that the settings make a listener and builds its transport options.
     *
     * @param names how to name each setting in a message, by its flag name ({@code cert}): {@code --cert} for flags,
     *              {@code certfile} for a configuration file
     * @throws IllegalArgumentException with a message that names the settings at fault
     */
    TransportOptions options(UnaryOperator<String> names) {
        if (cert == null || key == null) {
            throw new IllegalArgumentException("a TLS listener (mqtts://, wss://) needs " + names.apply("cert")
                    + " and " + names.apply("key") + ": the server's certificate and private key");
        }
        if (requireCertificate && caFile == null) {
            throw new IllegalArgumentException(names.apply("require-certificate") + " needs " + names.apply("cafile")
                    + ": the CAs that sign client certificates");
        }
        TransportOptions tls = TransportOptions.NONE.with(TlsOptions.CERT_FILE, cert).with(TlsOptions.KEY_FILE, key);
        if (keyPassword != null) {
            tls = tls.with(TlsOptions.KEY_PASSWORD, keyPassword);
        }
        if (caFile != null) {
            tls = tls.with(TlsOptions.CA_FILE, caFile);
        }
        if (requireCertificate) {
            tls = tls.with(TlsOptions.CLIENT_AUTH, TlsOptions.ClientAuth.REQUIRE);
        }
        if (tlsVersion != null) {
            tls = tls.with(TlsOptions.PROTOCOLS, TlsFlags.protocols(names.apply("tls-version"), tlsVersion));
        }
        return tls;
    }
}
