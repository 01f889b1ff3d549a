package zzq.persistence.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import zzq.api.spi.PersistenceException;

/**
 * Opens the store's file, ready for the writer: checked, locked for this process, in WAL mode at the URL's sync
 * level, intact, and at the current schema version. Every failure is a {@link PersistenceException} that says
 * what to do, and leaves nothing open.
 */
final class StoreFile {
    /** How long opening waits for a lock another process holds, before saying the file is in use. */
    private static final int BUSY_TIMEOUT_MILLIS = 1000;

    private StoreFile() {
    }

    /** Opens and prepares the file a URL names. */
    static Connection open(SqliteUrl url) {
        Path path = url.path();
        OpenFailure.checkPath(path);
        Connection db;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + path);
        } catch (SQLException e) {
            throw OpenFailure.of(path, e);
        }
        try {
            prepare(db, url);
            return db;
        } catch (SQLException e) {
            close(db, e);
            throw OpenFailure.of(path, e);
        } catch (RuntimeException e) {
            close(db, e);
            throw e;
        }
    }

    private static void prepare(Connection db, SqliteUrl url) throws SQLException {
        Path path = url.path();
        Sql.execute(db, "PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        // One process owns the file: its lock is taken at the first write below and held until close, so a
        // second broker on the same file is refused here rather than failing at its first message.
        Sql.execute(db, "PRAGMA locking_mode = EXCLUSIVE");
        String mode = Sql.text(db, "PRAGMA journal_mode = WAL");
        if (!"wal".equalsIgnoreCase(mode)) {
            throw new PersistenceException("cannot put the store " + path + " in WAL mode (it stays in " + mode
                    + "): check that the file is writable and on a local file system");
        }
        Sql.execute(db, "PRAGMA synchronous = " + url.sync().synchronous);
        checkIntact(db, path);
        Schema.migrate(db, path);
        // An idle write, to take and keep the exclusive lock even when no migration wrote anything.
        Sql.execute(db, "BEGIN IMMEDIATE");
        Sql.execute(db, "PRAGMA user_version = " + Schema.current());
        Sql.execute(db, "COMMIT");
        Purge.orphans(db);
    }

    /** SQLite's quick check of every page and index: a damaged file is refused at open, not at some later read. */
    private static void checkIntact(Connection db, Path path) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check(3)")) {
            while (rs.next()) {
                problems.add(rs.getString(1).replace('\n', ' '));
            }
        }
        if (!problems.equals(List.of("ok"))) {
            throw OpenFailure.corrupt(path, " (SQLite's check: " + String.join("; ", problems) + ")", null);
        }
    }

    private static void close(Connection db, Exception failure) {
        try {
            db.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
