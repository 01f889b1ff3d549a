package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The few plain statements the store runs outside its prepared ones. */
final class Sql {
    private Sql() {
    }

    /** Runs one statement. */
    static void execute(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of the first row of a query (a PRAGMA's answer), or null if it returns no row. */
    static String text(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Rolls back the open transaction after {@code failure}; if that fails too (SQLite may have rolled back on its
     * own, after an I/O error), the second failure is kept on the first rather than hiding it.
     */
    static void rollback(Connection db, Exception failure) {
        try {
            execute(db, "ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
