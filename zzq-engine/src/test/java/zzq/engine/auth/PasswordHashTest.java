package zzq.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link PasswordHash}: both written forms verify through {@link PasswordFile}; names and fields are judged. */
class PasswordHashTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean verifies(String field, String password) throws AuthFileException {
        return PasswordFile.parse(Path.of("pw"), List.of("u:" + field)).verify("u", b(password));
    }

    @Test
    void sha512RoundTripsWithAFreshTwelveByteSalt() throws Exception {
        String field = PasswordHash.sha512(b("secret"));
        String[] parts = field.split("\\$");
        assertEquals(List.of("", "6"), List.of(parts[0], parts[1]));
        assertEquals(12, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(64, Base64.getDecoder().decode(parts[3]).length);
        assertTrue(verifies(field, "secret"));
        assertFalse(verifies(field, "secret!"));
        assertNotEquals(field, PasswordHash.sha512(b("secret")));
    }

    @Test
    void pbkdf2RoundTripsWithTheIterationsAsked() throws Exception {
        String field = PasswordHash.pbkdf2(b("pässwörd"), 3);
        assertTrue(field.startsWith("$7$3$"), field);
        assertTrue(verifies(field, "pässwörd"));
        assertFalse(verifies(field, "passwort"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.pbkdf2(b("x"), 0));
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.pbkdf2(null, 1));
    }

    @Test
    void isHashTellsHashesFromPlainText() {
        assertTrue(PasswordHash.isHash(PasswordHash.pbkdf2(b("x"), 1)));
        assertTrue(PasswordHash.isHash(PasswordHash.sha512(b("x"))));
        assertTrue(PasswordHash.isHash(PasswordFileTest.SHA512.substring("old:".length())));
        assertFalse(PasswordHash.isHash("secret"));
        assertFalse(PasswordHash.isHash(""));
        assertFalse(PasswordHash.isHash("$7$101$short$short"));
        assertFalse(PasswordHash.isHash("$5$abc$def"));
    }

    @Test
    void usernameProblems() {
        assertEquals(Optional.empty(), PasswordHash.usernameProblem("alice"));
        assertEquals(Optional.empty(), PasswordHash.usernameProblem("a b.ü@example"));
        assertEquals(Optional.of("is empty"), PasswordHash.usernameProblem(""));
        assertEquals(Optional.of("is empty"), PasswordHash.usernameProblem(null));
        assertTrue(PasswordHash.usernameProblem("a:b").orElseThrow().startsWith("contains ':'"));
        for (String control : List.of("a\nb", "a\rb", "a\tb", "a\u0000b", "a\u007fb", "a\u0085b")) {
            assertEquals(Optional.of("contains a control character"), PasswordHash.usernameProblem(control));
        }
        assertEquals(Optional.of("starts or ends with a blank"), PasswordHash.usernameProblem(" a"));
        assertEquals(Optional.of("starts or ends with a blank"), PasswordHash.usernameProblem("a "));
        assertTrue(PasswordHash.usernameProblem("#a").orElseThrow().startsWith("starts with '#'"));
        assertTrue(PasswordHash.usernameProblem("é".repeat(32_768)).orElseThrow().startsWith("is longer"));
    }
}
