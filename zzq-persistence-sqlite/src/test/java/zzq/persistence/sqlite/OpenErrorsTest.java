package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.spi.PersistenceException;
import zzq.codec.QoS;
import zzq.codec.property.Properties;

/**
 * Every file that cannot be used is refused at open, with a message naming the file, what is wrong and what to do;
 * the file is left as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenErrorsTest {
    @TempDir
    Path dir;

    private static String refusal(Path file) {
        PersistenceException e = assertThrows(PersistenceException.class, () -> Stores.open(file, "").close());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' in: " + message);
        }
    }

    @Test
    @DisplayName("a file that is not a database: refused as damaged, left untouched")
    void notADatabase() throws Exception {
        byte[] junk = new byte[16_384];
        new Random(7).nextBytes(junk);
        Path file = Files.write(dir.resolve("junk.db"), junk);
        assertContains(refusal(file), "is not a database or is damaged", "file is not a database",
                "restore it from a backup, or move it away");
        assertArrayEquals(junk, Files.readAllBytes(file));
    }

    @Test
    @DisplayName("a database with a damaged page: refused by the integrity check at open")
    void malformed() throws Exception {
        Path file = dir.resolve("damaged.db");
        try (SqlitePersistence store = Stores.open(file, "")) {
            for (int i = 0; i < 300; i++) {
                store.retain(Stores.message("topic/" + i, QoS.AT_LEAST_ONCE, true, Properties.EMPTY,
                        "x".repeat(500), 0));
            }
        }
        long pageSize = 4096;
        assertTrue(Files.size(file) > 20 * pageSize, "a file of many pages");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long page = 3; page < 20; page++) { // b-tree pages of the tables: overwrite their headers
                raf.seek((page - 1) * pageSize);
                raf.write(new byte[] {(byte) 0x0D, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F, (byte) 0xFF, 0, 0, 0});
            }
        }
        assertContains(refusal(file), "is not a database or is damaged", "restore it from a backup");
    }

    @Test
    @DisplayName("a file another store in this process holds: refused as in use; the holder goes on")
    void lockedInProcess() throws Exception {
        Path file = dir.resolve("zzq.db");
        try (SqlitePersistence first = Stores.open(file, "")) {
            assertContains(refusal(file), "is in use by another process", "give this broker a file of its own");
            first.retain(Stores.message("still", QoS.AT_MOST_ONCE, true, Properties.EMPTY, "mine", 0));
            Stores.awaitDurable(first);
            assertEquals(1, first.loadRetained().size());
        }
        Stores.open(file, "").close(); // free again once closed
    }

    @Test
    @DisplayName("another process (the sqlite3 shell) holding the file: refused; and it cannot read ours")
    void lockedByAnotherProcess() throws Exception {
        Path sqlite3 = Path.of("/usr/bin/sqlite3");
        assumeTrue(Files.isExecutable(sqlite3), "the sqlite3 shell (Debian's sqlite3 package) is installed");
        Path file = dir.resolve("zzq.db");
        Stores.open(file, "").close();
        Process shell = new ProcessBuilder(sqlite3.toString(), file.toString()).redirectErrorStream(true).start();
        try {
            OutputStream in = shell.getOutputStream();
            in.write("PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT 'held';\n"
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("held"));
            assertEquals("held", line, "the shell holds the file");
            assertContains(refusal(file), "is in use by another process");
        } finally {
            shell.destroy();
            assertTrue(shell.waitFor(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS));
        }
        try (SqlitePersistence store = Stores.open(file, "")) {
            Process reader = new ProcessBuilder(sqlite3.toString(), file.toString(), "SELECT count(*) FROM sessions")
                    .redirectErrorStream(true).start();
            assertTrue(reader.waitFor(Stores.WAIT_MILLIS, TimeUnit.MILLISECONDS));
            String said = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertContains(said, "database is locked");
            assertTrue(store.loadSessions().isEmpty());
        }
    }

    @Test
    @DisplayName("a directory that does not exist: refused, saying to create it")
    void missingDirectory() {
        Path file = dir.resolve("no/such/dir/zzq.db");
        assertContains(refusal(file), "its directory " + file.getParent() + " does not exist",
                "mkdir -p " + file.getParent());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    @DisplayName("a path under a regular file: refused, naming the file in the way")
    void pathUnderAFile() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        assertContains(refusal(plain.resolve("zzq.db")), plain + " is a file, not a directory");
        assertContains(refusal(plain.resolve("deeper/zzq.db")), plain + " is a file, not a directory");
        assertEquals("not a directory", Files.readString(plain));
    }

    @Test
    @DisplayName("a directory given as the file: refused")
    void directoryAsFile() {
        assertContains(refusal(dir), "it is a directory", dir.resolve("zzq.db").toString());
    }

    @Test
    @DisplayName("a place nobody may create files (even root: /proc): refused as unwritable")
    void unwritable() {
        Path file = Path.of("/proc/zzq-store-test-" + ProcessHandle.current().pid() + ".db");
        assertContains(refusal(file), "cannot write the store", "writable");
    }

    @Test
    @DisplayName("a file from a newer zzq (a schema version above this code's): refused, and left at its version")
    void newerSchema() throws Exception {
        Path file = dir.resolve("zzq.db");
        Stores.open(file, "").close();
        try (Connection db = Stores.raw(file)) {
            Sql.execute(db, "PRAGMA user_version = 99");
        }
        assertContains(refusal(file), "schema version 99, written by a newer zzq",
                "this one knows versions up to " + Schema.current(), "run the newer zzq");
        try (Connection db = Stores.raw(file)) {
            assertEquals("99", Sql.text(db, "PRAGMA user_version"));
        }
    }

    @Test
    @DisplayName("another application's SQLite database: refused, its tables untouched")
    void foreignDatabase() throws Exception {
        Path file = dir.resolve("other.db");
        try (Connection db = Stores.raw(file)) {
            Sql.execute(db, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)");
        }
        assertContains(refusal(file), "is an SQLite database but not a zzq store", "choose another file");
        try (Connection db = Stores.raw(file)) {
            assertEquals("1", Sql.text(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"));
        }
    }
}
