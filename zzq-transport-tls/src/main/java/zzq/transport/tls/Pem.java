package zzq.transport.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files with bcpkix. Every error names the file, the option it was
 * given as, and what is wrong with it: {@link IOException} when the file cannot be read, {@link
 * IllegalArgumentException} when its content is not what it should be.
 */
final class Pem {
    private Pem() {
    }

    /**
     * The certificates of a PEM file, in file order (other PEM objects, such as a key in a combined file, skipped).
     *
     * @param option the option that named the file, for messages
     */
    static List<X509Certificate> certificates(Path file, String option) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(Bc.CRYPTO);
        for (Object o : objects(file, option)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException(what(file, option) + " holds a certificate that cannot be "
                            + "read: " + e.getMessage(), e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(what(file, option) + " holds no PEM certificate "
                    + "(-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /**
     * The private key of a PEM file: PKCS#8, encrypted PKCS#8, or a traditional OpenSSL key (RSA, EC, DSA),
     * encrypted or not.
     *
     * @param password the password of an encrypted key, or {@code null}
     */
    static PrivateKey privateKey(Path file, String password) throws IOException {
        String option = "KEY_FILE";
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Bc.CRYPTO);
        for (Object o : objects(file, option)) {
            boolean encrypted = o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo;
            if (encrypted && password == null) {
                throw new IllegalArgumentException(what(file, option) + " holds an encrypted key: give its "
                        + "password (KEY_PASSWORD)");
            }
            try {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                } else if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMEncryptedKeyPair pair) {
                    return converter.getKeyPair(pair.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(Bc.CRYPTO)
                                    .build(password.toCharArray()))).getPrivate();
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo info) {
                    return converter.getPrivateKey(info.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.CRYPTO)
                                    .build(password.toCharArray())));
                }
            } catch (Exception e) {
                // a wrong password shows as a bad padding or, rarely, as garbage that fails to parse
                throw new IllegalArgumentException(what(file, option) + (encrypted
                        ? " could not be decrypted: wrong password (KEY_PASSWORD)? (" + e.getMessage() + ")"
                        : " holds a key that cannot be read: " + e.getMessage()), e);
            }
        }
        throw new IllegalArgumentException(what(file, option) + " holds no PEM private key "
                + "(-----BEGIN PRIVATE KEY-----, -----BEGIN ENCRYPTED PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
    }

    /**
     * Checks that {@code key} is the private key of {@code certificate}'s public key, by signing with one and
     * verifying with the other; a key type this cannot sign with is let through (the handshake will tell).
     */
    static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile) {
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            return;
        }
        byte[] probe = "zzq key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm, Bc.CRYPTO);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            PublicKey publicKey = certificate.getPublicKey();
            Signature verifier = Signature.getInstance(algorithm, Bc.CRYPTO);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            matches = false; // for one: a key of one type and a certificate of another
        }
        if (!matches) {
            throw new IllegalArgumentException("the key file (KEY_FILE) " + keyFile + " does not match the "
                    + "certificate in (CERT_FILE) " + certFile + " (subject "
                    + certificate.getSubjectX500Principal().getName() + "): they are not one key pair");
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "Ed25519":
            case "Ed448":
                return keyAlgorithm;
            case "DSA":
                return "SHA256withDSA";
            default:
                return null;
        }
    }

    private static List<Object> objects(Path file, String option) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(what(file, option) + " is a directory, not a PEM file");
        }
        List<Object> objects = new ArrayList<>();
        // ISO-8859-1 decodes any bytes: a binary (DER) file shows up as "no PEM object", not as a charset error
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            while (true) {
                Object o;
                try {
                    o = parser.readObject();
                } catch (IOException | RuntimeException e) {
                    if (!Files.isReadable(file)) {
                        throw e;
                    }
                    throw new IllegalArgumentException(what(file, option) + " is not valid PEM: " + e.getMessage(),
                            e);
                }
                if (o == null) {
                    break;
                }
                objects.add(o);
            }
        } catch (NoSuchFileException e) {
            throw new IOException(what(file, option) + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IOException(what(file, option) + " cannot be read: permission denied", e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(what(file, option) + " cannot be read: " + e, e);
        }
        if (objects.isEmpty()) {
            throw new IllegalArgumentException(what(file, option) + " holds no PEM data (is it empty, or binary "
                    + "DER? convert DER with: openssl x509 -inform der -in FILE -out FILE.pem)");
        }
        return objects;
    }

    private static String what(Path file, String option) {
        String kind = switch (option) {
            case "CERT_FILE" -> "the certificate file";
            case "KEY_FILE" -> "the key file";
            case "CA_FILE" -> "the CA file";
            default -> "the file";
        };
        return kind + " (" + option + ") " + file;
    }
}
