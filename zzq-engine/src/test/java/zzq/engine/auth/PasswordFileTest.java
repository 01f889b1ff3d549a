package zzq.engine.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves PasswordFile reads lines written by mosquitto_passwd 2.0.11 ($6$ and $7$), verifies only the right
 * password, round-trips its own hashes, and refuses malformed lines naming file and line.
 */
class PasswordFileTest {

    /** Produced by mosquitto_passwd 2.0.11 with password "secret": default, -H sha512, -H sha512-pbkdf2 -I 1000. */
    static final String PBKDF2_101 = "user:$7$101$GhIkjXo8wbydU4sP$ed8RoGw/jJd2hVAVGCUztAbXwRulMeStK14n1P9QTI4zRb4pIF/"
            + "vhtPV+NJtUlsnqKrS+8zgffDWPeR6FPETuA==";
    static final String SHA512 = "old:$6$Z/IphjMJLGay0phg$0w4hjlrarb508LQpUWzf2RNrr1/V7O1p8XFcRPgohXlZzhTONOj/PSdIrV0"
            + "QSpwXkcNh1IOiQXzhSK0wSO78Sw==";
    static final String PBKDF2_1000 = "many:$7$1000$I70hcNz5/qeM8xPe$dtm/NAvOluKbJDLguTEVVNMMoUMHETN04F8rfO5G1jxi6ktFbi"
            + "Q9QpCzFGGE9KU64OBI0Dwq7pH/zfCJFvcLtw==";

    private static final Path F = Path.of("pw.txt");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verifiesMosquittoVectors() throws Exception {
        PasswordFile pf = PasswordFile.parse(F, List.of("# comment", "", PBKDF2_101, "   ", SHA512, PBKDF2_1000));
        assertEquals(java.util.Set.of("user", "old", "many"), pf.usernames());
        for (String u : List.of("user", "old", "many")) {
            assertTrue(pf.verify(u, b("secret")), u);
            assertFalse(pf.verify(u, b("Secret")), u);
            assertFalse(pf.verify(u, b("secret ")), u);
            assertFalse(pf.verify(u, new byte[0]), u);
            assertFalse(pf.verify(u, null), u);
        }
        assertFalse(pf.verify("nobody", b("secret")));
        assertFalse(pf.verify(null, b("secret")));
        assertFalse(pf.verify("User", b("secret")));
    }

    @Test
    void hashRoundTripsIncludingBinaryAndEmptyPasswords() throws Exception {
        byte[] binary = {0, (byte) 0xff, (byte) 0xc3, 0x28, 10, 13, 0};
        List<byte[]> passwords = List.of(b("secret"), b("pässwörd ✓"), binary, new byte[0], new byte[300]);
        for (byte[] pw : passwords) {
            String line = PasswordFile.hash("alice", pw, 7);
            assertTrue(line.startsWith("alice:$7$7$"), line);
            PasswordFile pf = PasswordFile.parse(F, List.of(line));
            assertTrue(pf.verify("alice", pw), line);
            // append a non-zero byte: HMAC zero-pads keys, so a trailing 0x00 is indistinguishable (as in OpenSSL)
            byte[] wrong = java.util.Arrays.copyOf(pw, pw.length + 1);
            wrong[pw.length] = 'x';
            assertFalse(pf.verify("alice", wrong), line);
        }
    }

    @Test
    void hashUsesFreshTwelveByteSaltAndRequestedIterations() throws Exception {
        String a = PasswordFile.hash("u", b("x"), PasswordFile.DEFAULT_ITERATIONS);
        String c = PasswordFile.hash("u", b("x"), PasswordFile.DEFAULT_ITERATIONS);
        assertNotEquals(a, c);
        String[] parts = a.split("\\$");
        assertEquals("u:", parts[0]);
        assertEquals("7", parts[1]);
        assertEquals("101", parts[2]);
        assertEquals(12, java.util.Base64.getDecoder().decode(parts[3]).length);
        assertEquals(16, parts[3].length());
        assertEquals(64, java.util.Base64.getDecoder().decode(parts[4]).length);
        assertThrows(IllegalArgumentException.class, () -> PasswordFile.hash("a:b", b("x"), 1));
        assertThrows(IllegalArgumentException.class, () -> PasswordFile.hash("", b("x"), 1));
        assertThrows(IllegalArgumentException.class, () -> PasswordFile.hash("a\nb", b("x"), 1));
        assertThrows(IllegalArgumentException.class, () -> PasswordFile.hash("#a", b("x"), 1));
        assertThrows(IllegalArgumentException.class, () -> PasswordFile.hash("a", b("x"), 0));
    }

    @Test
    void pbkdf2AgreesWithJdkSecretKeyFactory() throws Exception {
        long seed = 20261124L;
        Random rnd = new Random(seed);
        SecretKeyFactory skf = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
        for (int n = 0; n < 20; n++) {
            char[] chars = new char[1 + rnd.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (0x20 + rnd.nextInt(0x2000)); // BMP, no surrogates
            }
            byte[] salt = new byte[rnd.nextBoolean() ? 12 : 64];
            rnd.nextBytes(salt);
            int iterations = 1 + rnd.nextInt(300);
            byte[] expected = skf.generateSecret(new PBEKeySpec(chars, salt, iterations, 512)).getEncoded();
            byte[] actual = PasswordHash.derivePbkdf2(new String(chars).getBytes(StandardCharsets.UTF_8), salt,
                    iterations);
            assertArrayEquals(expected, actual, "seed " + seed + " case " + n);
        }
    }

    @Test
    void loadReadsFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, PBKDF2_101 + "\n" + SHA512 + "\n");
        PasswordFile pf = PasswordFile.load(file);
        assertTrue(pf.verify("user", b("secret")));
        assertTrue(pf.contains("old"));
        assertFalse(pf.contains("many"));
    }

    @Test
    void refusesMalformedLinesNamingFileAndLine(@TempDir Path dir) throws Exception {
        String salt = "GhIkjXo8wbydU4sP";
        String hash = PBKDF2_101.substring(PBKDF2_101.lastIndexOf('$') + 1);
        List<String> bad = List.of(
                "nocolon",
                ":$7$101$" + salt + "$" + hash,
                "u:",
                "u:plaintext",
                "u:$5$" + salt + "$" + hash,
                "u:$7$101$" + salt,
                "u:$7$abc$" + salt + "$" + hash,
                "u:$7$0$" + salt + "$" + hash,
                "u:$7$101$" + salt + "$" + hash + "$extra",
                "u:$7$101$not*base64$" + hash,
                "u:$7$101$" + salt + "$" + hash.substring(4),
                "u:$7$101$AAAA$" + hash,
                "u:$6$" + salt,
                "u:$7$101$$" + hash);
        for (String line : bad) {
            Path file = dir.resolve("bad.txt");
            Files.writeString(file, "# header\n\n" + PBKDF2_101.replace("user:", "ok:") + "\n" + line + "\n");
            AuthFileException e = assertThrows(AuthFileException.class, () -> PasswordFile.load(file), line);
            assertEquals(4, e.line(), line);
            assertEquals(file, e.file());
            assertTrue(e.getMessage().startsWith(file + ":4: "), e.getMessage());
        }
        AuthFileException dup = assertThrows(AuthFileException.class,
                () -> PasswordFile.parse(F, List.of(PBKDF2_101, PBKDF2_101)));
        assertEquals(2, dup.line());
        assertTrue(dup.getMessage().contains("duplicate"), dup.getMessage());
    }
}
