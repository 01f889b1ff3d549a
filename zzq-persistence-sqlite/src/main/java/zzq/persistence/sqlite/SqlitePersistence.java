package zzq.persistence.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.spi.Persistence;
import zzq.api.spi.PersistenceException;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;

/**
 * A {@link Persistence} in one SQLite file. The recording methods copy what they keep and queue it for the
 * {@link Writer} thread ({@code zzq-sqlite-writer}), returning at once; the loads run on that thread too, after
 * what was queued before them, and wait for it.
 *
 * <p>Backpressure: when more than {@link #QUEUE_LIMIT} changes wait for the writer (the disk is slower than the
 * broker, or a commit keeps failing), a recording call blocks until the writer has caught up below the limit,
 * rather than letting the heap grow. Calls from the writer thread itself (a {@code whenDurable} action) never
 * block.
 *
 * <p>After {@link #close()}, recording and loading throw {@link IllegalStateException}; {@code close()} again is
 * ignored.
 */
final class SqlitePersistence implements Persistence {
    /** How many changes may wait for the writer before callers are held back. */
    static final int QUEUE_LIMIT = 100_000;
    private static final String THREAD_NAME = "zzq-sqlite-writer";
    private static final Logger LOG = LoggerFactory.getLogger(SqlitePersistence.class);

    private final SqliteUrl url;
    private final OpQueue queue = new OpQueue(QUEUE_LIMIT);
    private final Writer writer;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqlitePersistence(SqliteUrl url, Connection db, Statements statements, long purgeEveryMillis) {
        this.url = url;
        this.writer = new Writer(url, db, statements, queue, purgeEveryMillis);
        this.thread = new Thread(writer, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens the store a URL names, purging what expired, with the usual purge period. */
    static SqlitePersistence open(SqliteUrl url) {
        return open(url, Writer.PURGE_EVERY_MILLIS);
    }

    /** Opens the store, purging what expired now and then every {@code purgeEveryMillis}. */
    static SqlitePersistence open(SqliteUrl url, long purgeEveryMillis) {
        Connection db = StoreFile.open(url);
        Statements statements = null;
        try {
            statements = new Statements(db);
            Sql.execute(db, "BEGIN IMMEDIATE");
            Purge.Purged purged = Purge.run(db, statements, System.currentTimeMillis(), 0);
            Sql.execute(db, "COMMIT");
            if (purged.any()) {
                LOG.info("store {}: purged at open {}", url.path(), purged);
            }
            return new SqlitePersistence(url, db, statements, purgeEveryMillis);
        } catch (SQLException e) {
            PersistenceException failure = OpenFailure.of(url.path(), e);
            try {
                if (statements != null) {
                    statements.close();
                }
                db.close();
            } catch (SQLException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public List<StoredMessage> loadRetained() {
        return read(db -> Loader.retained(db, System.currentTimeMillis()));
    }

    @Override
    public void retain(StoredMessage message) {
        record(new Changes.Retain(MessageRow.of(message)));
    }

    @Override
    public void removeRetained(String topic) {
        record(new Changes.RemoveRetained(Objects.requireNonNull(topic, "topic")));
    }

    @Override
    public List<StoredSession> loadSessions() {
        return read(Loader::sessions);
    }

    @Override
    public List<StoredDelivery> loadDeliveries(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        return read(db -> Loader.deliveries(db, clientId));
    }

    @Override
    public void saveSession(StoredSession session) {
        MessageRow will = session.will() == null ? null : MessageRow.of(session.will().message());
        long publishAt = session.will() == null ? 0 : session.will().publishAtMillis();
        record(new Changes.SaveSession(session, will, publishAt));
    }

    @Override
    public void removeSession(String clientId) {
        record(new Changes.RemoveSession(Objects.requireNonNull(clientId, "clientId")));
    }

    @Override
    public void addAwaitingRelease(String clientId, int packetId) {
        record(new Changes.AddAwaitingRelease(Objects.requireNonNull(clientId, "clientId"), packetId));
    }

    @Override
    public void removeAwaitingRelease(String clientId, int packetId) {
        record(new Changes.RemoveAwaitingRelease(Objects.requireNonNull(clientId, "clientId"), packetId));
    }

    @Override
    public void saveDelivery(String clientId, StoredDelivery d) {
        record(new Changes.SaveDelivery(Objects.requireNonNull(clientId, "clientId"), d.sequence(), d.packetId(),
                d.released(), d.messageId(), MessageRow.of(d.message())));
    }

    @Override
    public void updateDelivery(String clientId, long sequence, int packetId, boolean released) {
        record(new Changes.UpdateDelivery(Objects.requireNonNull(clientId, "clientId"), sequence, packetId, released));
    }

    @Override
    public void removeDelivery(String clientId, long sequence) {
        record(new Changes.RemoveDelivery(Objects.requireNonNull(clientId, "clientId"), sequence));
    }

    /** Runs {@code action} on the writer thread once everything recorded before is committed (and synced). */
    @Override
    public void whenDurable(Runnable action) {
        record(new Op.Durable(Objects.requireNonNull(action, "action")));
    }

    /**
     * Commits what is queued, checkpoints the log into the file, closes it and stops the writer; waits for all
     * that. If commits keep failing, gives up {@link Writer#CLOSE_RETRY_MILLIS} after the call (logging what was
     * lost).
     * Called again, does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.closeAsked();
        queue.put(new Op.Close(), false);
        if (Thread.currentThread() != thread) {
            writer.stopped().join();
        }
    }

    @Override
    public String toString() {
        return url.text();
    }

    @Override
    public void atomically(Runnable changes) {
        record(Op.Group.START);
        try {
            changes.run();
        } finally {
            queue.put(Op.Group.END, false); // never waits for room: the writer is waiting for it
        }
    }

    private void record(Op op) {
        checkOpen();
        queue.put(op, Thread.currentThread() != thread);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store " + url.path() + " is closed");
        }
        if (writer.stopped().isDone()) {
            throw new IllegalStateException("the store " + url.path() + " stopped writing after an error (see "
                    + "the log)");
        }
    }

    /** Does {@code work} on the writer thread after what was queued before, and waits for its result. */
    <T> T read(SqlWork<T> work) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("the store cannot be read from a whenDurable action");
        }
        try {
            return submit(work).join();
        } catch (CompletionException e) {
            throw new PersistenceException("cannot read the store " + url.path() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Queues {@code work} for the writer thread, after what was queued before. */
    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        record(new Op.Query<>(work, result));
        return result;
    }

    /** How many ops wait for the writer. */
    int queueSize() {
        return queue.size();
    }

    /** The writer, for the tests' counters and fault seam. */
    Writer writer() {
        return writer;
    }
}
