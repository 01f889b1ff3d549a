package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work on the store's connection, done on the writer thread between its transactions (the connection is the
 * writer's alone).
 *
 * @param <T> the result
 */
@FunctionalInterface
interface SqlWork<T> {
    /** Does the work. */
    T run(Connection db) throws SQLException;
}
