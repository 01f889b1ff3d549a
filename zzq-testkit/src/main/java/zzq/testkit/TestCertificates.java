package zzq.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A test certificate authority and certificates issued by it, made at run time with BouncyCastle and written as PEM
 * files into a directory (a JUnit {@code @TempDir}): no private key is ever committed. Keys are EC P-256 (fast to
 * make) unless named RSA.
 *
 * <pre>{@code
 * static final TestCertificates certs = TestCertificates.shared();   // one set per test run
 * }</pre>
 *
 * <p>What it writes: the CA ({@link #caCert()}); the server's certificate and key for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1} ({@link #serverCert()}, {@link #serverKey()}), its key also encrypted with
 * {@link #KEY_PASSWORD} as PKCS#8 and as a traditional OpenSSL key, and an RSA variant; a client certificate
 * ({@link #CLIENT_SUBJECT}); a server certificate for another host only; and a second, untrusted CA with a server
 * and a client certificate of its own.
 */
public final class TestCertificates {
    /** The password of the encrypted keys. */
    public static final String KEY_PASSWORD = "zzq-test-password";
    /** The client certificate's subject, as RFC 2253 writes it. */
    public static final String CLIENT_SUBJECT = "CN=zzq-test-client,O=zzq tests";
    /** The host names (DNS) in the server certificate; its IP addresses are 127.0.0.1 and ::1. */
    public static final String SERVER_HOST = "localhost";

    private static final Provider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static TestCertificates shared;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * One set for the whole test run (the JVM), made on first use in a temporary directory that is deleted when the
     * JVM exits: for tests that only read the files.
     */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("zzq-test-certificates");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "zzq-test-certificates-cleanup"));
                shared = generate(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static void delete(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
        dir.toFile().delete();
    }

    /**
     * Makes every certificate and key into {@code dir}.
     *
     * @throws UncheckedIOException when the files cannot be written
     */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
            TestCertificates certs = new TestCertificates(dir);
            certs.make();
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    private void make() throws IOException, GeneralSecurityException,
            org.bouncycastle.operator.OperatorCreationException {
        Issuer ca = Issuer.selfSigned("CN=zzq test CA,O=zzq tests", ec());
        write("ca.crt", pem(ca.certificate));

        KeyPair server = ec();
        X509Certificate serverCert = ca.issue("CN=" + SERVER_HOST + ",O=zzq tests", server, true,
                List.of(SERVER_HOST), List.of("127.0.0.1", "::1"));
        write("server.crt", pem(serverCert));
        write("server.key", pem(new JcaPKCS8Generator(server.getPrivate(), null)));
        write("server-encrypted-pkcs8.key", pem(new JcaPKCS8Generator(server.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(BC).setRandom(RANDOM)
                        .setPassword(KEY_PASSWORD.toCharArray()).build())));
        write("server-encrypted-traditional.key", pem(new JcaMiscPEMGenerator(server.getPrivate(),
                new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).setSecureRandom(RANDOM)
                        .build(KEY_PASSWORD.toCharArray()))));
        write("server-chain.crt", pem(serverCert) + pem(ca.certificate));

        KeyPair rsa = rsa();
        write("server-rsa.crt", pem(ca.issue("CN=" + SERVER_HOST + " RSA,O=zzq tests", rsa, true,
                List.of(SERVER_HOST), List.of("127.0.0.1", "::1"))));
        write("server-rsa.key", pem(new JcaMiscPEMGenerator(rsa.getPrivate()))); // BEGIN RSA PRIVATE KEY

        KeyPair client = ec();
        write("client.crt", pem(ca.issue(CLIENT_SUBJECT, client, false, List.of(), List.of())));
        write("client.key", pem(new JcaPKCS8Generator(client.getPrivate(), null)));

        KeyPair other = ec();
        write("other-host.crt", pem(ca.issue("CN=other.invalid,O=zzq tests", other, true,
                List.of("other.invalid"), List.of("192.0.2.1"))));
        write("other-host.key", pem(new JcaPKCS8Generator(other.getPrivate(), null)));

        Issuer stranger = Issuer.selfSigned("CN=zzq untrusted CA,O=elsewhere", ec());
        write("untrusted-ca.crt", pem(stranger.certificate));
        KeyPair untrusted = ec();
        write("untrusted-server.crt", pem(stranger.issue("CN=" + SERVER_HOST + ",O=elsewhere", untrusted, true,
                List.of(SERVER_HOST), List.of("127.0.0.1", "::1"))));
        write("untrusted-server.key", pem(new JcaPKCS8Generator(untrusted.getPrivate(), null)));
        KeyPair untrustedClient = ec();
        write("untrusted-client.crt", pem(stranger.issue("CN=intruder,O=elsewhere", untrustedClient, false,
                List.of(), List.of())));
        write("untrusted-client.key", pem(new JcaPKCS8Generator(untrustedClient.getPrivate(), null)));
    }

    /** The directory of the files. */
    public Path dir() {
        return dir;
    }

    /** The test CA's certificate: what clients trust, and what signs client certificates. */
    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** The server certificate (signed by the CA) for {@code localhost}, {@code 127.0.0.1} and {@code ::1}. */
    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    /** The server certificate followed by the CA's (a chain file). */
    public Path serverChain() {
        return dir.resolve("server-chain.crt");
    }

    /** The server's key, PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The server's key, encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}) with {@link #KEY_PASSWORD}. */
    public Path serverKeyEncryptedPkcs8() {
        return dir.resolve("server-encrypted-pkcs8.key");
    }

    /** The server's key, a traditional OpenSSL key encrypted with {@link #KEY_PASSWORD} (DEK-Info header). */
    public Path serverKeyEncryptedTraditional() {
        return dir.resolve("server-encrypted-traditional.key");
    }

    /** A server certificate with an RSA 2048 key, for the same names. */
    public Path rsaServerCert() {
        return dir.resolve("server-rsa.crt");
    }

    /** Its key, a traditional OpenSSL key ({@code BEGIN RSA PRIVATE KEY}). */
    public Path rsaServerKey() {
        return dir.resolve("server-rsa.key");
    }

    /** A client certificate (signed by the CA), subject {@link #CLIENT_SUBJECT}. */
    public Path clientCert() {
        return dir.resolve("client.crt");
    }

    /** The client certificate's key. */
    public Path clientKey() {
        return dir.resolve("client.key");
    }

    /** A server certificate signed by the CA for another host only ({@code other.invalid}, 192.0.2.1). */
    public Path otherHostCert() {
        return dir.resolve("other-host.crt");
    }

    /** Its key. */
    public Path otherHostKey() {
        return dir.resolve("other-host.key");
    }

    /** A second CA, trusted by nobody. */
    public Path untrustedCaCert() {
        return dir.resolve("untrusted-ca.crt");
    }

    /** A server certificate for the right names, signed by the untrusted CA. */
    public Path untrustedServerCert() {
        return dir.resolve("untrusted-server.crt");
    }

    /** Its key. */
    public Path untrustedServerKey() {
        return dir.resolve("untrusted-server.key");
    }

    /** A client certificate signed by the untrusted CA. */
    public Path untrustedClientCert() {
        return dir.resolve("untrusted-client.crt");
    }

    /** Its key. */
    public Path untrustedClientKey() {
        return dir.resolve("untrusted-client.key");
    }

    // ---- making ----

    /** A CA: its key and certificate, issuing others. */
    private static final class Issuer {
        final KeyPair keys;
        final X509Certificate certificate;

        private Issuer(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }

        static Issuer selfSigned(String subject, KeyPair keys) throws GeneralSecurityException, IOException {
            X500Name name = name(subject);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issuer(keys, sign(b, keys));
        }

        X509Certificate issue(String subject, KeyPair subjectKeys, boolean server, List<String> dnsNames,
                              List<String> ipAddresses) throws GeneralSecurityException, IOException {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    name(subject), subjectKeys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                            | (subjectKeys.getPublic().getAlgorithm().equals("RSA") ? KeyUsage.keyEncipherment : 0)))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(subjectKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(certificate));
            List<GeneralName> names = new ArrayList<>();
            for (String dns : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
            for (String ip : ipAddresses) {
                names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
            }
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(b, keys);
        }

        private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
            Instant now = Instant.now();
            return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                    subjectKeys.getPublic());
        }

        private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
                throws GeneralSecurityException {
            try {
                String algorithm = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
                        : "SHA256withECDSA";
                ContentSigner s = new JcaContentSignerBuilder(algorithm).setProvider(BC).build(signer.getPrivate());
                X509CertificateHolder holder = b.build(s);
                return new JcaX509CertificateConverter().setProvider(BC).getCertificate(holder);
            } catch (org.bouncycastle.operator.OperatorCreationException e) {
                throw new GeneralSecurityException(e);
            }
        }
    }

    /** An RFC 2253 name, in the usual order (CN last in the encoding, first when printed). */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            if (o instanceof PemObjectGenerator g) {
                w.writeObject(g);
            } else {
                w.writeObject(o);
            }
        }
        return out.toString();
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }
}
