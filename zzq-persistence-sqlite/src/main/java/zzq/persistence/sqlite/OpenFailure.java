package zzq.persistence.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import zzq.api.spi.PersistenceException;

/** Turns what goes wrong at open into a message that names the file, what is wrong and what to do. */
final class OpenFailure {
    // SQLite's primary result codes (an extended code keeps its primary one in the low byte).
    private static final int PERM = 3;
    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int READONLY = 8;
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int NOTADB = 26;

    private OpenFailure() {
    }

    /** Refuses a path that cannot hold a store file, before SQLite tries it (its own errors say less). */
    static void checkPath(Path path) {
        if (Files.isDirectory(path)) {
            throw new PersistenceException("cannot use " + path + " as the store: it is a directory; name a file "
                    + "in it, such as " + path.resolve("zzq.db"));
        }
        Path parent = path.getParent();
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new PersistenceException("cannot create the store " + path + ": " + existing + " is a file, not a "
                    + "directory; choose a path in a directory");
        }
        if (existing != parent) {
            throw new PersistenceException("cannot create the store " + path + ": its directory " + parent
                    + " does not exist; create it (mkdir -p " + parent + ") or choose another path");
        }
    }

    /** What an SQLite failure at open means for the file at {@code path}. */
    static PersistenceException of(Path path, SQLException e) {
        String sqlite = " (SQLite: " + e.getMessage() + ")";
        switch (e.getErrorCode() & 0xFF) {
            case NOTADB:
            case CORRUPT:
                return corrupt(path, sqlite, e);
            case BUSY:
            case LOCKED:
                return new PersistenceException("the store " + path + " is in use by another process (another "
                        + "broker?)" + sqlite + ": stop it, or give this broker a file of its own", e);
            case CANTOPEN:
            case READONLY:
            case PERM:
            case IOERR:
            case FULL:
                return new PersistenceException("cannot write the store " + path + sqlite + ": check that the file "
                        + "and its directory are writable by this user, on a writable file system with room", e);
            default:
                return new PersistenceException("cannot open the store " + path + sqlite, e);
        }
    }

    /** A file that is not a (healthy) SQLite database. */
    static PersistenceException corrupt(Path path, String what, Exception cause) {
        return new PersistenceException("the store " + path + " is not a database or is damaged" + what + ": "
                + "restore it from a backup, or move it away to start with an empty store", cause);
    }
}
