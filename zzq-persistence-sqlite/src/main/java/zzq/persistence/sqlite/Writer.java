package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread: takes what the broker's calls queued, in order, and group-commits it. A batch is
 * everything queued (up to {@link #MAX_BATCH_OPS} ops or {@link #MAX_BATCH_BYTES}), written in one transaction;
 * after the commit the batch's {@code whenDurable} actions run, in order. If the commit fails (disk full, I/O
 * error), the batch is rolled back, logged, and retried after a growing pause with its actions held: nothing is
 * acknowledged that is not stored. Between batches it purges expired rows every {@code purgeEveryMillis} and, with
 * {@code sync=interval}, checkpoints (which syncs) every interval.
 */
final class Writer implements Runnable {
    /** The most ops in one transaction. */
    static final int MAX_BATCH_OPS = 5000;
    /** About the most bytes of payload and properties in one transaction. */
    static final int MAX_BATCH_BYTES = 4 << 20;
    /** How often expired rows are purged. */
    static final long PURGE_EVERY_MILLIS = 60_000;
    /** At close, how long a failing commit is retried before its changes are given up (and logged). */
    static final long CLOSE_RETRY_MILLIS = 10_000;
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    private final SqliteUrl url;
    private final Connection db;
    /** Replaced after a failure: the driver may leave a statement that failed unusable. */
    private Statements statements;
    private final OpQueue queue;
    private final long purgeEveryMillis;
    private final List<Op> batch = new ArrayList<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile long commits;
    private volatile long failedCommits;
    private volatile long checkpoints;
    private volatile long purges;
    /** When close was asked for (0 before): a commit that keeps failing is given up some time after it. */
    private volatile long closeAskedAt;
    /** Tests only: work run on the connection before each retry of a failed commit (to clear the fault). */
    volatile SqlWork<?> beforeRetry;

    /** A writer of the store at {@code url} on its open connection, taking from {@code queue}. */
    Writer(SqliteUrl url, Connection db, Statements statements, OpQueue queue, long purgeEveryMillis) {
        this.url = url;
        this.db = db;
        this.statements = statements;
        this.queue = queue;
        this.purgeEveryMillis = purgeEveryMillis;
    }

    @Override
    public void run() {
        long nextPurge = now() + purgeEveryMillis;
        long nextCheckpoint = url.sync() == Sync.INTERVAL ? now() + url.intervalMillis() : Long.MAX_VALUE;
        try {
            boolean closing = false;
            while (!closing) {
                try {
                    long wait = Math.min(nextPurge, nextCheckpoint) - now();
                    Op first = wait > 0 ? queue.poll(wait) : queue.poll();
                    closing = first != null && handle(first);
                } catch (InterruptedException e) {
                    LOG.warn("store {}: the writer thread was interrupted; it stops at close only", url.path());
                }
                long now = now();
                if (!closing && now >= nextPurge) {
                    purge(now, purgeEveryMillis);
                    nextPurge = now + purgeEveryMillis;
                }
                if (!closing && now >= nextCheckpoint) {
                    checkpoint("PASSIVE");
                    nextCheckpoint = now + url.intervalMillis();
                }
            }
            checkpoint("TRUNCATE");
        } catch (RuntimeException | Error e) {
            LOG.error("store {}: the writer thread failed; nothing more is stored", url.path(), e);
            throw e;
        } finally {
            release();
        }
    }

    /** Says that close was asked for, so that a failing commit is not retried for ever. */
    void closeAsked() {
        closeAskedAt = now();
    }

    /** Commits the batch that starts with {@code first} and does what ended it; true if that was the close. */
    private boolean handle(Op first) {
        Op stop = collect(first);
        if (!batch.isEmpty()) {
            commit();
        }
        if (stop instanceof Op.Query) {
            ((Op.Query<?>) stop).run(db);
        }
        return stop instanceof Op.Close;
    }

    /**
     * Fills the batch; returns the query or close that ended it, or null. A batch ends only where no
     * {@code atomically} group is open: past its bounds, or with the queue empty, it waits for the groups to end
     * (each is one publish being routed, so the wait is short).
     */
    private Op collect(Op first) {
        int bytes = 0;
        int openGroups = 0;
        Op op = first;
        while (true) {
            if (op == null) {
                if (openGroups == 0) {
                    return null;
                }
                op = waitForGroupEnd();
                continue;
            }
            if (op instanceof Op.Query || op instanceof Op.Close) {
                return op;
            }
            if (op instanceof Op.Group) {
                openGroups += ((Op.Group) op).open() ? 1 : -1;
            } else {
                batch.add(op);
                bytes += op.bytes();
            }
            if (openGroups == 0 && (batch.size() >= MAX_BATCH_OPS || bytes >= MAX_BATCH_BYTES)) {
                return null;
            }
            op = queue.poll();
        }
    }

    /** The next op, waiting for it: a group is open, and its end must join this batch. */
    private Op waitForGroupEnd() {
        while (true) {
            try {
                return queue.poll(1_000); // null after a second: the caller asks again
            } catch (InterruptedException e) {
                LOG.warn("store {}: the writer thread was interrupted; it stops at close only", url.path());
            }
        }
    }

    /** A delivery's identity in the store. */
    private record DeliveryKey(String clientId, long sequence) {
    }

    /** The delivery a change is about, or null for other changes. */
    private static DeliveryKey key(Op op) {
        if (op instanceof Changes.SaveDelivery) {
            Changes.SaveDelivery d = (Changes.SaveDelivery) op;
            return new DeliveryKey(d.clientId(), d.sequence());
        }
        if (op instanceof Changes.UpdateDelivery) {
            Changes.UpdateDelivery d = (Changes.UpdateDelivery) op;
            return new DeliveryKey(d.clientId(), d.sequence());
        }
        if (op instanceof Changes.RemoveDelivery) {
            Changes.RemoveDelivery d = (Changes.RemoveDelivery) op;
            return new DeliveryKey(d.clientId(), d.sequence());
        }
        return null;
    }

    /**
     * The deliveries this batch both saves and removes: sent and acknowledged within one commit's time, as most are
     * for a subscriber that keeps up. They need no row at all, so their save, updates and removal are skipped (and
     * with them their message's row, unless another delivery keeps it): the store's work then follows what waits,
     * not what passes through. (A sequence is never saved again once removed, so skipping is exact.)
     */
    private Set<DeliveryKey> cancelled() {
        Set<DeliveryKey> saved = null;
        Set<DeliveryKey> both = Set.of();
        for (Op op : batch) {
            if (op instanceof Changes.SaveDelivery) {
                if (saved == null) {
                    saved = new HashSet<>();
                }
                saved.add(key(op));
            } else if (op instanceof Changes.RemoveDelivery && saved != null) {
                DeliveryKey k = key(op);
                if (saved.contains(k)) {
                    if (both.isEmpty()) {
                        both = new HashSet<>();
                    }
                    both.add(k);
                }
            }
        }
        return both;
    }

    /** Stores the batch's changes, then runs its actions; once close is asked for, gives up after a while. */
    private void commit() {
        int changes = 0;
        for (Op op : batch) {
            changes += op instanceof Op.Change ? 1 : 0;
        }
        if (changes == 0 || store(changes)) {
            for (Op op : batch) {
                if (op instanceof Op.Durable) {
                    runAction(((Op.Durable) op).action());
                }
            }
        }
        batch.clear();
    }

    private boolean store(int changes) {
        long backoff = FIRST_BACKOFF_MILLIS;
        Set<DeliveryKey> cancelled = cancelled();
        for (int attempt = 1; ; attempt++) {
            try {
                Sql.execute(db, "BEGIN IMMEDIATE");
                for (Op op : batch) {
                    if (op instanceof Op.Change && (cancelled.isEmpty() || !cancelled.contains(key(op)))) {
                        ((Op.Change) op).apply(statements);
                    }
                }
                statements.deleteOrphans();
                Sql.execute(db, "COMMIT");
                commits++;
                if (attempt > 1) {
                    LOG.info("store {}: {} changes stored at attempt {}; acknowledgements resume", url.path(),
                            changes, attempt);
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(db, e);
                renewStatements(e);
                failedCommits++;
                long askedAt = closeAskedAt;
                if (askedAt > 0 && now() + backoff > askedAt + CLOSE_RETRY_MILLIS) {
                    LOG.error("store {}: closing with {} changes not stored and their acknowledgements not given",
                            url.path(), changes, e);
                    return false;
                }
                if (attempt == 1) {
                    LOG.error("store {}: could not store {} changes; nothing in them is acknowledged until they "
                            + "are, retrying", url.path(), changes, e);
                } else {
                    LOG.warn("store {}: attempt {} to store {} changes failed ({}), retrying in {} ms", url.path(),
                            attempt, changes, e.getMessage(), backoff);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                seam();
            }
        }
    }

    /**
     * Prepares the statements anew after {@code failure}; if that fails too, it is noted on {@code failure} and
     * the next try redoes it.
     */
    private void renewStatements(Exception failure) {
        try {
            statements.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        try {
            statements = new Statements(db);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void seam() {
        SqlWork<?> work = beforeRetry;
        if (work != null) {
            try {
                work.run(db);
            } catch (SQLException e) {
                LOG.warn("store {}: test fault clearing failed", url.path(), e);
            }
        }
    }

    private void runAction(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("store {}: a whenDurable action failed", url.path(), e);
        }
    }

    /** Deletes what expired, in its own transaction; a failure is logged and left for the next purge. */
    void purge(long nowMillis, long sessionGraceMillis) {
        try {
            Sql.execute(db, "BEGIN IMMEDIATE");
            Purge.Purged purged = Purge.run(db, statements, nowMillis, sessionGraceMillis);
            Sql.execute(db, "COMMIT");
            purges++;
            if (purged.any()) {
                LOG.info("store {}: purged {}", url.path(), purged);
            }
        } catch (SQLException | RuntimeException e) {
            Sql.rollback(db, e);
            renewStatements(e);
            LOG.warn("store {}: purging expired rows failed; trying again in {} s", url.path(),
                    purgeEveryMillis / 1000, e);
        }
    }

    /** Moves the log into the database file, syncing both; a failure is logged and left for the next one. */
    private void checkpoint(String mode) {
        try {
            Sql.text(db, "PRAGMA wal_checkpoint(" + mode + ")");
            checkpoints++;
        } catch (SQLException e) {
            LOG.warn("store {}: checkpoint failed", url.path(), e);
        }
    }

    /** Closes the connection and says so; what was queued after the close is dropped, and logged. */
    private void release() {
        try {
            statements.close();
            db.close();
        } catch (SQLException e) {
            LOG.warn("store {}: closing the file failed", url.path(), e);
        }
        int late = 0;
        for (Op op = queue.poll(); op != null; op = queue.poll()) {
            late++;
        }
        if (late > 0) {
            LOG.warn("store {}: {} changes recorded after close were not stored", url.path(), late);
        }
        stopped.complete(null);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** Completes when the writer has stopped and the file is closed. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Transactions committed with changes in them. */
    long commits() {
        return commits;
    }

    /** Commit attempts that failed. */
    long failedCommits() {
        return failedCommits;
    }

    /** Checkpoints done. */
    long checkpoints() {
        return checkpoints;
    }

    /** Purges done (the one at open not counted). */
    long purges() {
        return purges;
    }
}
