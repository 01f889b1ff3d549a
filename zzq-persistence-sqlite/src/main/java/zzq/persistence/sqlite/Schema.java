package zzq.persistence.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.spi.PersistenceException;

/**
 * The store's tables, versioned in SQLite's {@code PRAGMA user_version} and migrated forward at open, one
 * {@link Migration} at a time, each in its own transaction. A new file runs them all; a file from an older zzq runs
 * those it lacks; a file from a newer zzq is refused.
 *
 * <p>Version 1 was the first design, which kept each delivery's message inline in its {@code deliveries} row: a
 * message queued for a thousand sessions was written a thousand times. Version 2 keeps messages once in
 * {@code messages}, referenced by their deliveries through {@code message_id} (the broker's message identity,
 * shared across sessions); a message goes when its last delivery does. It also keeps, per session, the user name and
 * transport identity the client last connected with (NULL, unknown, for sessions of a version 1 file).
 */
final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    /** Version 1: deliveries carry their message. */
    static final Migration V1 = new Migration(1, "the first tables", List.of(
            "CREATE TABLE retained (topic TEXT PRIMARY KEY, qos INTEGER NOT NULL, properties BLOB NOT NULL,"
                    + " payload BLOB NOT NULL, expires_at INTEGER NOT NULL)",
            "CREATE TABLE sessions (client_id TEXT PRIMARY KEY, protocol_level INTEGER NOT NULL,"
                    + " expiry INTEGER NOT NULL, disconnected_at INTEGER NOT NULL, will_topic TEXT,"
                    + " will_qos INTEGER, will_retain INTEGER, will_properties BLOB, will_payload BLOB,"
                    + " will_expires_at INTEGER, will_publish_at INTEGER)",
            "CREATE TABLE subscriptions (client_id TEXT NOT NULL, filter TEXT NOT NULL, options INTEGER NOT NULL,"
                    + " sub_id INTEGER NOT NULL, PRIMARY KEY (client_id, filter))",
            "CREATE TABLE awaiting_release (client_id TEXT NOT NULL, packet_id INTEGER NOT NULL,"
                    + " PRIMARY KEY (client_id, packet_id))",
            "CREATE TABLE deliveries (client_id TEXT NOT NULL, sequence INTEGER NOT NULL,"
                    + " packet_id INTEGER NOT NULL, released INTEGER NOT NULL, message_id INTEGER NOT NULL,"
                    + " qos INTEGER NOT NULL, retain INTEGER NOT NULL, topic TEXT NOT NULL, properties BLOB NOT NULL,"
                    + " payload BLOB NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (client_id, sequence))"));

    /** Version 2: messages stored once, deliveries refer to them. */
    static final Migration V2 = new Migration(2, "messages stored once, referenced by their deliveries; sessions"
            + " keep the client's user name and transport identity", List.of(
            "CREATE TABLE messages (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, properties BLOB NOT NULL,"
                    + " payload BLOB NOT NULL, expires_at INTEGER NOT NULL)",
            // Deliveries of one message share its id: the first row of each id brings the message.
            "INSERT OR IGNORE INTO messages (id, topic, properties, payload, expires_at)"
                    + " SELECT message_id, topic, properties, payload, expires_at FROM deliveries"
                    + " ORDER BY client_id, sequence",
            "CREATE TABLE deliveries_v2 (client_id TEXT NOT NULL, sequence INTEGER NOT NULL,"
                    + " packet_id INTEGER NOT NULL, released INTEGER NOT NULL, message_id INTEGER NOT NULL,"
                    + " qos INTEGER NOT NULL, retain INTEGER NOT NULL, PRIMARY KEY (client_id, sequence))",
            "INSERT INTO deliveries_v2 (client_id, sequence, packet_id, released, message_id, qos, retain)"
                    + " SELECT client_id, sequence, packet_id, released, message_id, qos, retain FROM deliveries",
            "DROP TABLE deliveries",
            "ALTER TABLE deliveries_v2 RENAME TO deliveries",
            // Finding whether a message is still referenced, when a delivery goes.
            "CREATE INDEX deliveries_by_message ON deliveries (message_id)",
            // The periodic purge looks for expired messages.
            "CREATE INDEX messages_by_expiry ON messages (expires_at) WHERE expires_at > 0",
            "CREATE INDEX retained_by_expiry ON retained (expires_at) WHERE expires_at > 0",
            "ALTER TABLE sessions ADD COLUMN username TEXT",
            "ALTER TABLE sessions ADD COLUMN transport_identity TEXT"));

    /** Every step, in order; the last one's version is the one this code writes. */
    static final List<Migration> MIGRATIONS = List.of(V1, V2);

    private Schema() {
    }

    /** The version this code reads and writes. */
    static int current() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Brings the file to the {@link #current()} version.
     *
     * @throws PersistenceException if the file is newer than this code, or holds tables but no zzq version
     * @throws SQLException         if a step fails (it is rolled back)
     */
    static void migrate(Connection db, Path path) throws SQLException {
        int version = version(db);
        if (version > current()) {
            throw new PersistenceException("the store " + path + " has schema version " + version + ", written by "
                    + "a newer zzq; this one knows versions up to " + current() + ": run the newer zzq, or move "
                    + "the file away to start with an empty store");
        }
        if (version == 0 && hasTables(db)) {
            throw new PersistenceException(path + " is an SQLite database but not a zzq store (it has tables and "
                    + "no zzq schema version): choose another file");
        }
        for (Migration m : MIGRATIONS.subList(version, MIGRATIONS.size())) {
            apply(db, m);
            if (version > 0) {
                LOG.info("store {} migrated to schema version {}: {}", path, m.version(), m.summary());
            }
        }
    }

    /** Runs one step and records its version, in one transaction. */
    static void apply(Connection db, Migration m) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + m.version());
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(db, e);
                throw e;
            }
        }
    }

    /** The file's schema version: 0 for a new file. */
    static int version(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean hasTables(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }
}
