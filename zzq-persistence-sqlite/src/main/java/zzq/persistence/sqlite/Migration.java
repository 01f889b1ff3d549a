package zzq.persistence.sqlite;

import java.util.List;

/**
 * One step of the store's schema: the SQL that takes a file from {@code version - 1} to {@code version}.
 *
 * @param version    the schema version after this step (PRAGMA user_version)
 * @param summary    what the step changes, for the log
 * @param statements the SQL, run in order in one transaction with the version bump
 */
record Migration(int version, String summary, List<String> statements) {
    Migration {
        statements = List.copyOf(statements);
    }
}
