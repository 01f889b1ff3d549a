package zzq.engine.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The password hashes of a Mosquitto password file, as {@code mosquitto_passwd} writes them: the one place that
 * derives and writes them ({@link PasswordFile} reads and verifies them).
 *
 * <ul>
 *   <li>{@code $7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes)>}:
 *       {@code -H sha512-pbkdf2}, Mosquitto 2.0's default;</li>
 *   <li>{@code $6$<base64 salt>$<base64 SHA-512(password || salt)>}: {@code -H sha512}, Mosquitto 1.6's.</li>
 * </ul>
 *
 * <p>Salts written here are 12 random bytes, as Mosquitto's; base64 is the standard alphabet with padding.
 */
public final class PasswordHash {
    /** The length of the salts written here (Mosquitto also reads 64-byte salts). */
    static final int SALT_LENGTH = 12;
    /** The length of every hash: one SHA-512 output. */
    static final int HASH_LENGTH = 64;
    /** The longest user name MQTT can carry: a UTF-8 string of at most 65,535 bytes. */
    private static final int MAX_USERNAME_BYTES = 65_535;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /**
     * A {@code $7$} hash (PBKDF2-HMAC-SHA512) of a password with a fresh random salt.
     *
     * @param password   the password's bytes
     * @param iterations the PBKDF2 iteration count, at least 1 ({@link PasswordFile#DEFAULT_ITERATIONS} is
     *                   Mosquitto's default)
     * @return {@code $7$<iterations>$<salt>$<hash>}
     */
    public static String pbkdf2(byte[] password, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1: " + iterations);
        }
        byte[] salt = salt();
        return "$7$" + iterations + "$" + base64(salt) + "$" + base64(derivePbkdf2(requireNonNull(password), salt,
                iterations));
    }

    /**
     * A {@code $6$} hash (salted SHA-512, Mosquitto 1.6's form) of a password with a fresh random salt. Cheap to
     * attack: kept for brokers that read no other form.
     *
     * @param password the password's bytes
     * @return {@code $6$<salt>$<hash>}
     */
    public static String sha512(byte[] password) {
        byte[] salt = salt();
        return "$6$" + base64(salt) + "$" + base64(deriveSha512(requireNonNull(password), salt));
    }

    /**
     * Whether a password field is a hash that {@link PasswordFile} reads ({@code $6$} or {@code $7$}, well formed)
     * rather than, say, a plain-text password.
     *
     * @param field the text after the {@code :} of a line
     */
    public static boolean isHash(String field) {
        try {
            PasswordFile.parse(Path.of("-"), List.of("u:" + field));
            return true;
        } catch (AuthFileException notAHash) {
            return false; // the answer, not an error: the caller asked whether the field parses
        }
    }

    /**
     * Why a user name cannot be stored in a password file, or empty when it can. It cannot be empty, longer than
     * MQTT allows, hold {@code :} (which ends it) or a control character (a line break would split the line),
     * start or end with a blank (reading strips them), or start with {@code #} (a comment).
     *
     * @param username the user name
     * @return the reason, such as {@code "contains ':'"}, to follow the name in a message
     */
    public static Optional<String> usernameProblem(String username) {
        if (username == null || username.isEmpty()) {
            return Optional.of("is empty");
        }
        if (username.indexOf(':') >= 0) {
            return Optional.of("contains ':', which separates the user name from the password");
        }
        if (username.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("contains a control character");
        }
        if (!username.strip().equals(username)) {
            return Optional.of("starts or ends with a blank");
        }
        if (username.startsWith("#")) {
            return Optional.of("starts with '#', which starts a comment");
        }
        if (username.getBytes(StandardCharsets.UTF_8).length > MAX_USERNAME_BYTES) {
            return Optional.of("is longer than MQTT allows (65,535 bytes of UTF-8)");
        }
        return Optional.empty();
    }

    private static byte[] requireNonNull(byte[] password) {
        if (password == null) {
            throw new IllegalArgumentException("password is null");
        }
        return password;
    }

    private static byte[] salt() {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** SHA-512(password || salt), Mosquitto's {@code $6$} digest. */
    static byte[] deriveSha512(byte[] password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(password);
            md.update(salt);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 unavailable", e);
        }
    }

    /**
     * PBKDF2-HMAC-SHA512 with a 64-byte output (one block), over the password's exact bytes. The JDK's
     * {@code SecretKeyFactory "PBKDF2WithHmacSHA512"} takes a {@code char[]}, which cannot carry arbitrary MQTT
     * password bytes, so the single block is computed here with {@link Mac}; the tests check both agree.
     */
    static byte[] derivePbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // HMAC zero-pads short keys to the block size, so an empty key equals a one-zero-byte key;
            // SecretKeySpec refuses empty keys.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 unavailable", e);
        }
    }
}
