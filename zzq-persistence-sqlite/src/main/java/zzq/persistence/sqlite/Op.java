package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/** What the writer thread takes from its queue, in the order the broker's calls made them. */
interface Op {
    /** Roughly what it holds in memory, for bounding a batch. */
    default int bytes() {
        return 48;
    }

    /** A change to the store, applied inside the writer's transaction. */
    interface Change extends Op {
        /** Applies the change. */
        void apply(Statements statements) throws SQLException;
    }

    /**
     * An action to run once every change queued before it is committed ({@code Persistence.whenDurable}).
     *
     * @param action the action
     */
    record Durable(Runnable action) implements Op {
    }

    /**
     * Work done on the connection after the changes queued before it are committed (so it sees them), outside
     * any transaction: loading at start, and the tests' look inside.
     *
     * @param work   the work
     * @param result completed with the work's result or failure
     * @param <T>    the result
     */
    record Query<T>(SqlWork<T> work, CompletableFuture<T> result) implements Op {
        /** Does the work and completes the result. */
        void run(Connection db) {
            try {
                result.complete(work.run(db));
            } catch (SQLException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /**
     * The start ({@code open}) or end of a {@code Persistence.atomically} group: the writer commits only where no
     * group is open, so a group's changes share one transaction.
     *
     * @param open whether this starts a group
     */
    record Group(boolean open) implements Op {
        static final Group START = new Group(true);
        static final Group END = new Group(false);
    }

    /** The last op: commit what came before, checkpoint, close the connection, stop the writer. */
    record Close() implements Op {
    }
}
