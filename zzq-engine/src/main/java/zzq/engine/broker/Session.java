package zzq.engine.broker;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import zzq.api.spi.ClientIdentity;
import zzq.api.spi.StoredSession;
import zzq.api.spi.StoredWill;
import zzq.codec.QoS;
import zzq.codec.packet.Will;

/**
 * The state of one client identifier that outlives a connection: its subscriptions (held in the topic tree), the
 * messages queued for it and in flight to it, the QoS 2 messages it sent and has not released, its pending will,
 * and its expiry.
 *
 * <p>Confined to one event loop, {@link #loop}: the loop of its connection, which moves when a client resumes the
 * session on another connection. Everything from elsewhere comes through {@link #execute}, which follows the move.
 */
final class Session {
    /** The Session Expiry Interval that means "never" (MQTT 5.0 section 3.1.2.11.2). */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    /** How many queued tasks one turn of the loop runs for a session before the loop's other work. */
    private static final int DRAIN_BATCH = 256;

    final String clientId;
    private final BrokerRouting broker;
    private volatile EventExecutor loop;
    /** Tasks from other threads, in order (see {@link #execute}). */
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Whether a drain of {@link #tasks} is scheduled or running. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTasks = this::drainTasks;

    private ClientConnection connection;
    private volatile ClientIdentity identity;
    private long expirySeconds;
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private long queuedBytes;
    /** Messages queued or in flight, readable from any thread: publishers look at it to push back. */
    private volatile int backlog;
    private final LinkedHashMap<Integer, Outgoing> inflight = new LinkedHashMap<>();
    /** In-flight messages sent on the current connection: what its Receive Maximum counts. */
    private int sentCount;
    /** Whether every in-flight message has been (re-)sent on the current connection. */
    private boolean resendDone = true;
    private int lastPacketId;
    /** Packet identifiers of QoS 2 messages received from the client and not yet released by PUBREL. */
    final Set<Integer> awaitingRelease = new HashSet<>();
    private Will pendingWill;
    private ScheduledFuture<?> willTimer;
    private ScheduledFuture<?> expiryTimer;
    private boolean ended;
    /** Whether this session is recorded in the persistence store: a durable backend, and an expiry above 0. */
    private volatile boolean persistent;
    /** Whether it was ever recorded, so that its end removes the record. */
    private boolean recorded;
    /** The broker is shutting down: the store keeps what it has for the next start. */
    private boolean shuttingDown;
    private int protocolLevel = 5;
    private long disconnectedAtMillis;
    /** The pending will as recorded, or null. */
    private StoredWill storedWill;
    /** Publishers that stopped reading because this session's queue was full; told when it drains. */
    private final Set<ClientConnection> pausedPublishers = ConcurrentHashMap.newKeySet();

    Session(String clientId, BrokerRouting broker, EventExecutor loop, ClientIdentity identity) {
        this.clientId = clientId;
        this.broker = broker;
        this.loop = loop;
        this.identity = identity;
    }

    // ---- threading ----

    /**
     * Runs {@code task} on this session's loop, following the session if it moves, in the order of the calls. The
     * tasks wait in the session's own queue rather than in a loop's: when a resumed session moves to its new
     * connection's loop, tasks already handed to the old loop would otherwise run after later ones handed straight to
     * the new loop, and a subscriber would get a publisher's messages out of order.
     */
    void execute(Runnable task) {
        if (!drainScheduled.get() && loop.inEventLoop() && tasks.isEmpty()) {
            task.run();
            return;
        }
        tasks.add(task);
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTasks);
        }
    }

    /** Runs the queued tasks on the session's loop, moving with the session when a task moves it. */
    private void drainTasks() {
        for (int ran = 0; ; ran++) {
            EventExecutor l = loop;
            if (!l.inEventLoop() || ran == DRAIN_BATCH) {
                // moved: the rest runs on the new loop, still in order; or a pause, so that a flood of deliveries
                // to one session does not keep the loop from its other channels
                l.execute(drainTasks);
                return;
            }
            Runnable task = tasks.poll();
            if (task != null) {
                task.run();
                continue;
            }
            drainScheduled.set(false);
            // a task added after the poll, whose adder saw the drain still scheduled: take it, unless a new drain
            // has been scheduled for it meanwhile
            if (tasks.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    EventExecutor loop() {
        return loop;
    }

    /** Moves the session to another loop; call on its current loop, with no connection attached. */
    void moveTo(EventExecutor newLoop) {
        assert loop.inEventLoop() && connection == null;
        loop = newLoop;
    }

    // ---- what other threads may read ----

    ClientIdentity identity() {
        return identity;
    }

    boolean isConnected() {
        return connection != null;
    }

    /** Whether this session holds at least its queue limit: publishers to it should wait (QoS 1 and 2). */
    boolean isCongested() {
        return backlog >= broker.options().maxQueuedMessages();
    }

    int backlog() {
        return backlog;
    }

    /** Whether deliveries to this session are recorded (readable from any thread: publishers record them). */
    boolean isPersistent() {
        return persistent;
    }

    int protocolLevel() {
        return protocolLevel;
    }

    long expirySeconds() {
        return expirySeconds;
    }

    /** Whether a connection is attached, as a racy hint for shared-subscription choices. */
    volatile boolean online;

    // ---- connection lifecycle ----

    ClientConnection connection() {
        return connection;
    }

    /**
     * Attaches a connection: cancels a pending will (MQTT-3.1.3-9: a resumed session's will is not sent), stops
     * expiry, re-sends what is in flight with DUP, and sends what queued while the client was away.
     */
    void attach(ClientConnection conn, ClientIdentity who, long expiry, int level) {
        assert loop.inEventLoop();
        connection = conn;
        online = true;
        identity = who;
        expirySeconds = expiry;
        protocolLevel = level;
        disconnectedAtMillis = 0;
        storedWill = null;
        SessionStore store = broker.store();
        boolean was = persistent;
        persistent = store.durable() && expiry > 0;
        if (persistent) {
            store.save(this, broker, 0, null);
            recorded = true;
        } else if (was) {
            store.remove(clientId); // resumed with expiry 0: it ends with this connection, and a crash too ends it
            recorded = false;
        }
        cancel(expiryTimer);
        expiryTimer = null;
        cancel(willTimer);
        willTimer = null;
        pendingWill = null;
        // everything in flight is re-sent, with DUP and its packet id (MQTT-4.4.0-1), as the new connection's
        // Receive Maximum allows (MQTT-3.3.4-9): the rest waits in flight, unsent, for acknowledgements
        for (Outgoing o : inflight.values()) {
            o.sent = false;
        }
        sentCount = 0;
        resendDone = inflight.isEmpty();
        drain();
    }

    /**
     * Fills a session read back from the store at start, before any client can reach it: disconnected since
     * {@code disconnectedAt}, with its unreleased QoS 2 ids, its deliveries in order (those with a packet id are in
     * flight, re-sent with DUP when the client comes back), and its pending will, due at {@code willDueMillis}.
     * Starts the expiry and will timers; a will already due is the caller's to publish, once every session is back.
     */
    void restore(StoredSession stored, long disconnectedAt, List<Outgoing> deliveries, Will will, long willDueMillis) {
        persistent = true;
        recorded = true;
        protocolLevel = stored.protocolLevel();
        expirySeconds = stored.expiryIntervalSeconds();
        disconnectedAtMillis = disconnectedAt;
        awaitingRelease.addAll(stored.awaitingRelease());
        for (Outgoing o : deliveries) {
            if (o.packetId != 0) {
                inflight.put(o.packetId, o);
                lastPacketId = o.packetId;
            } else {
                queue.addLast(o);
                queuedBytes += o.payloadSize();
            }
        }
        resendDone = inflight.isEmpty();
        updateBacklog();
        long now = System.currentTimeMillis();
        if (expirySeconds != NEVER_EXPIRES) {
            long left = disconnectedAt + expirySeconds * 1000 - now;
            expiryTimer = loop.schedule(() -> broker.sessions().endSession(this), Math.max(0, left),
                    TimeUnit.MILLISECONDS);
        }
        if (will != null) {
            pendingWill = will;
            storedWill = stored.will();
            if (willDueMillis > now) {
                willTimer = loop.schedule(this::publishWill, willDueMillis - now, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Publishes a restored will whose delay passed while the broker was down. */
    void publishOverdueWill() {
        execute(() -> {
            if (willTimer == null && pendingWill != null && connection == null) {
                publishWill();
            }
        });
    }

    /** Re-sends in-flight messages not sent on this connection yet, in order, while the window allows. */
    private void resendInflight(ClientConnection conn) {
        long now = System.nanoTime();
        for (Iterator<Outgoing> it = inflight.values().iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.sent) {
                continue;
            }
            if (sentCount >= conn.clientReceiveMaximum() || !conn.isWritable()) {
                return;
            }
            if (o.recordPending) {
                // its record is not durable yet: it goes out when it is (recordDurable); its place is kept
                o.sent = true;
                sentCount++;
                continue;
            }
            if (o.phase == Outgoing.Phase.AWAITING_PUBCOMP) {
                conn.sendPubrel(o.packetId);
            } else if (o.message.isExpired(now)) {
                it.remove();
                discard(o);
                broker.stats().dropped();
                continue;
            } else if (!conn.sendPublish(o, true)) {
                it.remove();
                discard(o);
                continue;
            }
            o.sent = true;
            sentCount++;
        }
        resendDone = true;
    }

    /** Sets the Session Expiry Interval (5.0: a DISCONNECT may change it). */
    void expiryInterval(long seconds) {
        expirySeconds = seconds;
    }

    /**
     * The connection ended. Its will (already decided by the connection: none after a normal DISCONNECT) goes out
     * after its delay, or when the session ends if that is sooner; the session ends now or after its expiry.
     */
    void detach(ClientConnection conn, Will will, long willDelaySeconds) {
        assert loop.inEventLoop();
        if (connection != conn) {
            return; // already taken over
        }
        connection = null;
        online = false;
        disconnectedAtMillis = System.currentTimeMillis();
        releasePausedPublishers();
        if (will != null) {
            pendingWill = will;
            if (willDelaySeconds > 0 && willDelaySeconds < expirySeconds) {
                willTimer = loop.schedule(this::publishWill, willDelaySeconds, TimeUnit.SECONDS);
                storedWill = SessionStore.stored(will, disconnectedAtMillis + willDelaySeconds * 1000);
            } else if (willDelaySeconds == 0 || expirySeconds == 0) {
                publishWill();
            }
            // otherwise the session ends first, and ending publishes it
        }
        if (expirySeconds == 0) {
            broker.sessions().endSession(this);
            return;
        }
        if (expirySeconds != NEVER_EXPIRES) {
            expiryTimer = loop.schedule(() -> broker.sessions().endSession(this), expirySeconds, TimeUnit.SECONDS);
        }
        if (persistent) {
            broker.store().save(this, broker, disconnectedAtMillis, storedWill);
        }
    }

    /** Its subscriptions changed (SUBSCRIBE, UNSUBSCRIBE): the record follows. */
    void subscriptionsChanged() {
        if (persistent) {
            broker.store().save(this, broker, 0, null);
        }
    }

    private void publishWill() {
        Will will = pendingWill;
        pendingWill = null;
        willTimer = null;
        if (will != null) {
            broker.publishWill(clientId, identity, will);
        }
        if (storedWill != null) {
            storedWill = null;
            if (persistent && !ended && connection == null) {
                broker.store().save(this, broker, disconnectedAtMillis, null);
            }
        }
    }

    /**
     * Ends the session for good (expired, replaced by a clean start, or the broker closing): the pending will goes
     * out, subscriptions go, every held message is released. Idempotent.
     */
    void end() {
        end(true);
    }

    /** Ends the session; {@code withWill} false when the broker shuts down (nobody is left to receive it). */
    void end(boolean withWill) {
        assert loop.inEventLoop();
        if (ended) {
            return;
        }
        ended = true;
        cancel(expiryTimer);
        cancel(willTimer);
        if (withWill) {
            publishWill();
            if (recorded) {
                broker.store().remove(clientId);
            }
        } else if (persistent) {
            // the broker shuts down: the record stays for the next start, disconnected from now
            shuttingDown = true;
            broker.store().save(this, broker, connection != null ? System.currentTimeMillis()
                    : disconnectedAtMillis, storedWill);
        } else {
            shuttingDown = true;
        }
        broker.topics().unsubscribeAll(this);
        for (Outgoing o : inflight.values()) {
            o.release();
        }
        inflight.clear();
        sentCount = 0;
        resendDone = true;
        for (Outgoing o : queue) {
            o.release();
        }
        queue.clear();
        queuedBytes = 0;
        awaitingRelease.clear();
        updateBacklog();
        releasePausedPublishers();
    }

    boolean isEnded() {
        return ended;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---- delivering ----

    /**
     * Takes a message for this session (on its loop). Sent at once when the window and the socket allow, queued
     * otherwise; past the queue limits QoS 0 is dropped, and so is QoS 1 and 2 once publishers have had their
     * chance to slow down (counted as dropped either way).
     */
    void offer(Outgoing o) {
        assert loop.inEventLoop();
        if (ended) {
            discard(o);
            return;
        }
        ClientConnection conn = connection;
        if (conn == null) {
            if (o.qos == QoS.AT_MOST_ONCE || !enqueue(o, 1)) {
                discard(o);
            }
            return;
        }
        if (queue.isEmpty() && trySend(conn, o)) {
            return;
        }
        // past the in-flight window or the socket's buffer: queue, with room for publishers already paused
        if (!enqueue(o, o.qos == QoS.AT_MOST_ONCE ? 1 : 2)) {
            discard(o);
        }
    }

    /** Drops a delivery: its payload reference, and its record (kept when the broker shuts down). */
    private void discard(Outgoing o) {
        o.release();
        if (o.sequence != 0 && !shuttingDown) {
            broker.store().removeDelivery(clientId, o.sequence);
        }
    }

    /** Queues within {@code slack} times the limits; false (counted as dropped) when full. */
    private boolean enqueue(Outgoing o, int slack) {
        BrokerRouting b = broker;
        if (queue.size() >= (long) b.options().maxQueuedMessages() * slack
                || queuedBytes + o.payloadSize() > b.options().maxQueuedBytes() * slack) {
            b.stats().dropped();
            return false;
        }
        Outgoing kept = o.compacted();
        queue.addLast(kept);
        queuedBytes += kept.payloadSize();
        updateBacklog();
        return true;
    }

    /** Sends now if the window (QoS 1, 2) or the socket (QoS 0) allows; true if it was taken care of. */
    private boolean trySend(ClientConnection conn, Outgoing o) {
        if (o.message.isExpired(System.nanoTime())) {
            discard(o);
            broker.stats().dropped();
            return true;
        }
        if (o.qos == QoS.AT_MOST_ONCE) {
            if (!conn.isWritable()) {
                return false;
            }
            conn.sendPublish(o, false);
            o.release();
            return true;
        }
        if (!resendDone || sentCount >= conn.clientReceiveMaximum() || inflight.size() >= 0xFFFF
                || !conn.isWritable()) {
            return false;
        }
        o.packetId = nextPacketId();
        o.phase = o.qos == QoS.AT_LEAST_ONCE ? Outgoing.Phase.AWAITING_PUBACK : Outgoing.Phase.AWAITING_PUBREC;
        if (o.qos == QoS.EXACTLY_ONCE && o.sequence != 0) {
            // Exactly once across a crash: the client must never see this message under a packet id the store
            // does not know, or after a restart it would come again under another id. So it goes out once its
            // packet id is durable (for QoS 1 a second copy is allowed, and it goes at once).
            inflight.put(o.packetId, o);
            o.sent = true; // its place in the window is taken now
            sentCount++;
            o.recordPending = true;
            broker.store().updateDelivery(clientId, o);
            broker.store().whenDurable(() -> execute(() -> recordDurable(o)));
            updateBacklog();
            return true;
        }
        if (conn.sendPublish(o, false)) {
            inflight.put(o.packetId, o);
            o.sent = true;
            sentCount++;
            if (o.sequence != 0) {
                broker.store().updateDelivery(clientId, o); // its packet id: a re-send after a restart keeps it
            }
        } else {
            discard(o); // too big for this client: dropped for it alone (counted by the connection)
        }
        updateBacklog();
        return true;
    }

    /**
     * A recorded QoS 2 message's packet id, or its PUBREC, is durable: its PUBLISH (first sent now, so DUP 0) or its
     * PUBREL goes out, on whatever connection the session has now; without one, the next connection re-sends it.
     */
    private void recordDurable(Outgoing o) {
        o.recordPending = false;
        ClientConnection conn = connection;
        if (conn == null || inflight.get(o.packetId) != o) {
            return; // offline (attach re-sends it), or dropped meanwhile
        }
        if (o.phase == Outgoing.Phase.AWAITING_PUBCOMP) {
            conn.sendPubrel(o.packetId);
        } else if (!conn.sendPublish(o, false)) {
            removeInflight(o);
            discard(o); // too big for this client: dropped for it alone (counted by the connection)
            drain();
        }
    }

    /** Sends queued messages while the window and the socket allow. */
    void drain() {
        assert loop.inEventLoop();
        ClientConnection conn = connection;
        if (conn != null && !resendDone) {
            resendInflight(conn);
        }
        while (conn != null && !queue.isEmpty()) {
            Outgoing o = queue.peekFirst();
            int size = o.payloadSize(); // read before trySend, which may release the payload
            if (!trySend(conn, o)) {
                break;
            }
            queue.pollFirst();
            queuedBytes -= size;
        }
        updateBacklog();
        if (!pausedPublishers.isEmpty() && backlog <= broker.options().maxQueuedMessages() / 2) {
            releasePausedPublishers();
        }
    }

    private int nextPacketId() {
        int id = lastPacketId;
        do {
            id = id == 0xFFFF ? 1 : id + 1;
        } while (inflight.containsKey(id));
        lastPacketId = id;
        return id;
    }

    private void updateBacklog() {
        backlog = queue.size() + inflight.size();
    }

    /** PUBACK for a QoS 1 message. */
    void acknowledged(int packetId) {
        Outgoing o = inflight.get(packetId);
        if (o != null && o.phase == Outgoing.Phase.AWAITING_PUBACK) {
            removeInflight(o);
            discard(o);
            drain();
        }
    }

    /**
     * PUBREC for a QoS 2 message: releases the payload; returns whether a PUBREL is due now (for a recorded message
     * the session sends it itself once the store is durable).
     */
    boolean received(int packetId, boolean refused) {
        Outgoing o = inflight.get(packetId);
        if (o == null || o.phase == Outgoing.Phase.AWAITING_PUBACK) {
            return o == null; // unknown: answer PUBREL anyway so the client can finish (5.0: "not found")
        }
        if (refused) {
            removeInflight(o);
            discard(o);
            drain();
            return false;
        }
        o.phase = Outgoing.Phase.AWAITING_PUBCOMP;
        o.release();
        if (o.sequence != 0) {
            // PUBREL once "released" is durable: else a restart would send the PUBLISH again after a PUBREL that
            // let the client forget its id, and the client would take it as new
            o.recordPending = true;
            broker.store().updateDelivery(clientId, o);
            broker.store().whenDurable(() -> execute(() -> recordDurable(o)));
            return false;
        }
        return true;
    }

    /** PUBCOMP for a QoS 2 message. */
    void completed(int packetId) {
        Outgoing o = inflight.get(packetId);
        if (o != null && o.phase == Outgoing.Phase.AWAITING_PUBCOMP) {
            removeInflight(o);
            discard(o); // its payload went at PUBREC; release() is idempotent
            drain();
        }
    }

    private void removeInflight(Outgoing o) {
        inflight.remove(o.packetId);
        if (o.sent) {
            sentCount--;
        }
    }

    // ---- pushing back on publishers ----

    /** A publisher stopped reading on this session's account; it is told when the queue drains. */
    void pausePublisher(ClientConnection publisher) {
        pausedPublishers.add(publisher);
        // the session may have drained (or gone offline) meanwhile: check on its loop
        execute(() -> {
            if (connection == null || backlog <= broker.options().maxQueuedMessages() / 2) {
                releasePausedPublishers();
            }
        });
    }

    private void releasePausedPublishers() {
        for (Iterator<ClientConnection> it = pausedPublishers.iterator(); it.hasNext(); ) {
            ClientConnection p = it.next();
            it.remove();
            p.resumeAfter(this);
        }
    }

    @Override
    public String toString() {
        return "session " + clientId;
    }
}
