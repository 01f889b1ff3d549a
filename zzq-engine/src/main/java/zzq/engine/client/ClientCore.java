package zzq.engine.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.Connection;
import zzq.api.spi.ConnectionEnd;
import zzq.api.spi.PacketHandler;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttEncoder;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientAuthentication;
import zzq.engine.ClientOptions;
import zzq.engine.ConnectRefusedException;
import zzq.engine.ConnectResult;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.core.Engine;

/**
 * The client role: one client's session across its connections, confined to one event loop of the shared client
 * engine. The public {@code Client} calls in from any thread; every such call hops onto the loop, and every
 * answer leaves it through the callback pool, so user code never runs on the loop.
 *
 * <p>What it keeps across connections: the packet identifiers, the publishes not yet acknowledged (with their
 * QoS 2 phase), the QoS 1/2 messages received and not yet acknowledged (with the QoS 2 identifiers awaiting
 * PUBREL), the subscriptions, and the requests not yet sent.
 */
public final class ClientCore {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);
    /**
     * QoS 1 and 2 publishes in flight at once in 3.1.1, which has no Receive Maximum: brokers still have a window
     * (Mosquitto's max_inflight_messages, 20 by default), and past it Mosquitto acknowledges a 3.1.1 client's
     * publish and drops it, since 3.1.1 cannot say "quota exceeded".
     */
    private static final int V3_IN_FLIGHT = 20;

    private final ClientOptions options;
    private final Engine engine;
    private final EventLoop loop;
    private final Executor callbacks;
    private final SerialRunner monitorRunner;
    private final PublishBudget budget;
    private final List<Consumer<? super MonitorEvent>> monitors = new CopyOnWriteArrayList<>();
    private final AtomicLong unmatchedDropped = new AtomicLong();
    private volatile boolean connectedView;
    private volatile String clientIdView;
    private volatile boolean closedView;

    // ---- confined to the loop ----
    private ClientState state = ClientState.IDLE;
    private List<Endpoint> endpoints = List.of();
    private int nextEndpoint;
    private int failedAttempts;
    /** Attempts left for the application's connect call (each endpoint once); 0 once connected. */
    private int triesLeft;
    /** Counts dial attempts, so the callbacks of an abandoned attempt know they are stale. */
    private long attempt;
    private boolean sessionEstablished;
    private String clientId;
    private Link link;
    private CompletableFuture<ConnectResult> connecting;
    private CompletableFuture<Void> reauthenticating;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> attemptTimer;
    private final PacketIdPool ids = new PacketIdPool();
    private final ArrayDeque<OutboundPublish> waiting = new ArrayDeque<>();
    private final LinkedHashMap<Integer, OutboundPublish> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Request> requestsWaiting = new ArrayDeque<>();
    private final Map<Integer, Request> requestsSent = new HashMap<>();
    private final List<Inbox> inboxes = new ArrayList<>();
    private Inbox unmatched;
    private final ArrayDeque<InboundDelivery> unacked = new ArrayDeque<>();
    private final Map<Integer, InboundDelivery> unackedById = new HashMap<>();
    private final BitSet awaitingRelease = new BitSet(65_536);

    /** A SUBSCRIBE or UNSUBSCRIBE, waiting for a connection or for its answer. */
    private static final class Request {
        final Inbox inbox;
        final List<SubscribeRequest.Filter> subscribing;
        final List<String> unsubscribing;
        final CompletableFuture<?> done;
        final boolean restore;

        Request(Inbox inbox, List<SubscribeRequest.Filter> subscribing, List<String> unsubscribing,
                CompletableFuture<?> done, boolean restore) {
            this.inbox = inbox;
            this.subscribing = subscribing;
            this.unsubscribing = unsubscribing;
            this.done = done;
            this.restore = restore;
        }
    }

    public ClientCore(ClientOptions options) {
        this.options = options;
        ClientEngine shared = ClientEngine.get();
        this.engine = shared.engine();
        this.loop = engine.group().next();
        this.callbacks = shared.callbacks();
        this.monitorRunner = new SerialRunner(callbacks);
        this.budget = new PublishBudget(options.maxQueuedPublishes(), options.maxQueuedBytes());
        this.clientId = options.clientId();
        this.clientIdView = clientId;
    }

    // =====================================================================================================
    // The application's side: any thread
    // =====================================================================================================

    public CompletableFuture<ConnectResult> connect(List<Endpoint> to) {
        CompletableFuture<ConnectResult> done = new CompletableFuture<>();
        onLoop(done, () -> startConnect(to, done));
        return done;
    }

    public CompletableFuture<PublishResult> publish(ApplicationMessage message, long waitNanos) {
        CompletableFuture<PublishResult> done = new CompletableFuture<>();
        if (closedView) {
            done.completeExceptionally(closed());
            return done;
        }
        try {
            if (!budget.reserve(message.payloadSize(), waitNanos)) {
                done.completeExceptionally(new MqttClientException("the client's publish queue is full ("
                        + budget + " not yet acknowledged): the broker is slow or unreachable"));
                return done;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(new MqttClientException("publish was interrupted", e));
            return done;
        }
        OutboundPublish op = new OutboundPublish(message, done);
        onLoop(done, () -> enqueue(op));
        return done;
    }

    public CompletableFuture<zzq.engine.Subscription> subscribe(SubscribeRequest request) {
        CompletableFuture<zzq.engine.Subscription> done = new CompletableFuture<>();
        Inbox inbox = new Inbox(this, request, options.subscriptionBuffer(), new SerialRunner(callbacks));
        onLoop(done, () -> {
            if (state == ClientState.CLOSED) {
                fail(done, closed());
                return;
            }
            inboxes.add(inbox);
            requestsWaiting.add(new Request(inbox, request.filters(), null, done, false));
            sendRequests();
        });
        return done;
    }

    public CompletableFuture<List<ReasonCode>> unsubscribe(List<String> filters) {
        CompletableFuture<List<ReasonCode>> done = new CompletableFuture<>();
        onLoop(done, () -> {
            if (state == ClientState.CLOSED) {
                fail(done, closed());
                return;
            }
            requestsWaiting.add(new Request(null, null, filters, done, false));
            sendRequests();
        });
        return done;
    }

    CompletableFuture<List<ReasonCode>> unsubscribe(Inbox inbox) {
        CompletableFuture<List<ReasonCode>> done = new CompletableFuture<>();
        onLoop(done, () -> {
            List<String> filters = new ArrayList<>();
            for (SubscribeRequest.Filter f : inbox.activeRequestFilters()) {
                filters.add(f.filter());
            }
            if (filters.isEmpty() || state == ClientState.CLOSED) {
                inboxes.remove(inbox);
                inbox.end();
                complete(done, List.of());
                return;
            }
            requestsWaiting.add(new Request(inbox, null, filters, done, false));
            sendRequests();
        });
        return done;
    }

    public zzq.engine.Subscription unmatched() {
        CompletableFuture<Inbox> made = new CompletableFuture<>();
        loop.execute(() -> {
            if (unmatched == null) {
                unmatched = new Inbox(this, null, options.subscriptionBuffer(), new SerialRunner(callbacks));
                if (state == ClientState.CLOSED) {
                    unmatched.end();
                }
            }
            made.complete(unmatched);
        });
        return await(made, "creating the unmatched inbox");
    }

    public long unmatchedDropped() {
        return unmatchedDropped.get();
    }

    public CompletableFuture<Void> reauthenticate() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ClientAuthentication auth = options.authentication();
        if (auth == null) {
            done.completeExceptionally(new IllegalStateException(
                    "re-authentication needs the enhanced authentication option"));
            return done;
        }
        onLoop(done, () -> {
            if (state != ClientState.CONNECTED || reauthenticating != null) {
                fail(done, new MqttClientException(state != ClientState.CONNECTED ? "not connected"
                        : "a re-authentication is already running"));
                return;
            }
            reauthenticating = done;
            Link l = link;
            callbacks.execute(() -> {
                byte[] data;
                try {
                    data = auth.initialData();
                } catch (RuntimeException e) {
                    loop.execute(() -> reauthDone(new MqttClientException("the authentication failed: " + e, e)));
                    return;
                }
                loop.execute(() -> {
                    if (l == link && state == ClientState.CONNECTED) {
                        l.send(authPacket(ReasonCode.RE_AUTHENTICATE, data));
                    }
                });
            });
        });
        return done;
    }

    public void onMonitorEvent(Consumer<? super MonitorEvent> monitor) {
        monitors.add(monitor);
    }

    public boolean isConnected() {
        return connectedView;
    }

    public String clientId() {
        return clientIdView;
    }

    public int queuedPublishes() {
        return budget.messages();
    }

    public CompletableFuture<Void> disconnect(ReasonCode reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (reason != ReasonCode.NORMAL_DISCONNECTION && !options.version().isV5()) {
            done.completeExceptionally(new IllegalStateException("MQTT " + options.version()
                    + " has no DISCONNECT reason codes: a disconnect with will is 5.0 only"));
            return done;
        }
        onLoop(done, () -> startDisconnect(reason, done, false));
        return done;
    }

    /** Closes the client; waits (boundedly) for its connection to end. Idempotent. */
    public void close() {
        if (closedView) {
            return;
        }
        closedView = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> startDisconnect(ReasonCode.NORMAL_DISCONNECTION, done, true));
        try {
            done.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("closing client {}: {}", clientIdView, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks for a future within the request timeout; used by the subscription's blocking unsubscribe. */
    <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(options.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new MqttClientException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new MqttClientException(what + " got no answer within "
                    + options.requestTimeout().toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttClientException(what + " was interrupted", e);
        }
    }

    /** A subscription handed a QoS 1 or 2 message to the application. */
    void taken(InboundDelivery delivery) {
        loop.execute(() -> {
            delivery.holders--;
            flushAcks();
        });
    }

    private void onLoop(CompletableFuture<?> done, Runnable task) {
        loop.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("client {}: internal error", clientId, e);
                fail(done, e);
            }
        });
    }

    // =====================================================================================================
    // Completing futures and emitting events: off the loop
    // =====================================================================================================

    private <T> void complete(CompletableFuture<T> future, T value) {
        callbacks.execute(() -> future.complete(value));
    }

    private void fail(CompletableFuture<?> future, Throwable error) {
        callbacks.execute(() -> future.completeExceptionally(error));
    }

    private void emit(MonitorEvent event) {
        if (monitors.isEmpty()) {
            return;
        }
        monitorRunner.execute(() -> {
            for (Consumer<? super MonitorEvent> m : monitors) {
                try {
                    m.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("a client monitor failed on {}", event, e);
                }
            }
        });
    }

    private static MqttClientException closed() {
        return new MqttClientException("the client is closed");
    }

    // =====================================================================================================
    // Connecting and reconnecting
    // =====================================================================================================

    private void startConnect(List<Endpoint> to, CompletableFuture<ConnectResult> done) {
        if (state != ClientState.IDLE) {
            fail(done, state == ClientState.CLOSED ? closed()
                    : new IllegalStateException("the client is already " + state.name().toLowerCase()));
            return;
        }
        endpoints = List.copyOf(to);
        nextEndpoint = 0;
        failedAttempts = 0;
        triesLeft = endpoints.size();
        connecting = done;
        state = state.moveTo(ClientState.CONNECTING);
        dial();
    }

    /** Dials the next endpoint; enhanced authentication's first data is asked for off the loop. */
    private void dial() {
        long thisAttempt = ++attempt;
        Endpoint endpoint = endpoints.get(nextEndpoint++ % endpoints.size());
        attemptTimer = loop.schedule(() -> attemptFailed(thisAttempt, endpoint, new MqttClientException(
                "no CONNACK from " + endpoint + " within " + options.connectTimeout().toMillis() + " ms")),
                options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ClientAuthentication auth = options.authentication();
        if (auth == null) {
            dial(thisAttempt, endpoint, null);
            return;
        }
        callbacks.execute(() -> {
            byte[] data;
            try {
                data = auth.initialData();
            } catch (RuntimeException e) {
                loop.execute(() -> attemptFailed(thisAttempt, endpoint,
                        new MqttClientException("the authentication failed: " + e, e)));
                return;
            }
            loop.execute(() -> dial(thisAttempt, endpoint, data));
        });
    }

    private void dial(long thisAttempt, Endpoint endpoint, byte[] authData) {
        if (thisAttempt != attempt || state != ClientState.CONNECTING) {
            return;
        }
        int maxPacket = options.maximumPacketSize() > 0 ? options.maximumPacketSize()
                : MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE;
        io.netty.util.concurrent.Future<io.netty.channel.Channel> dialed;
        try {
            dialed = engine.dial(endpoint, TransportOptions.NONE, new Engine.Dial(loop, options.version(), maxPacket,
                    options.connectTimeout(), c -> new Link(c, thisAttempt, endpoint, authData)));
        } catch (RuntimeException e) {
            attemptFailed(thisAttempt, endpoint, new MqttClientException("cannot dial " + endpoint + ": "
                    + e.getMessage(), e));
            return;
        }
        dialed.addListener(f -> {
            if (!f.isSuccess()) {
                loop.execute(() -> attemptFailed(thisAttempt, endpoint, new MqttClientException(
                        "cannot reach " + endpoint + ": " + f.cause(), f.cause())));
            }
        });
    }

    /** One connect attempt failed: try the next endpoint, retry after a backoff, or give up. */
    private void attemptFailed(long thisAttempt, Endpoint endpoint, MqttClientException error) {
        if (thisAttempt != attempt || state != ClientState.CONNECTING) {
            return;
        }
        attempt++; // whatever of this attempt is still under way is stale now
        cancel(attemptTimer);
        if (link != null) {
            Link l = link;
            link = null;
            l.close(null, new ConnectionEnd(ReasonCode.UNSPECIFIED_ERROR, false, false, error.getMessage(), error));
        }
        boolean refused = error instanceof ConnectRefusedException;
        if (connecting != null) {
            triesLeft--;
            if (!refused && triesLeft > 0) {
                LOG.debug("client {}: {}; trying the next endpoint", clientId, error.getMessage());
                dial();
                return;
            }
            state = state.moveTo(ClientState.IDLE);
            CompletableFuture<ConnectResult> c = connecting;
            connecting = null;
            fail(c, error);
            return;
        }
        if (refused && isFatal(error.reasonCode())) {
            giveUp(error);
            return;
        }
        scheduleRetry(endpoint, error);
    }

    private void scheduleRetry(Endpoint endpoint, Throwable error) {
        failedAttempts++;
        Duration delay = options.reconnect().delay(failedAttempts, ThreadLocalRandom.current().nextDouble());
        state = state.moveTo(ClientState.RECONNECT_WAIT);
        LOG.debug("client {}: reconnecting in {} ms after: {}", clientId, delay.toMillis(), error.getMessage());
        emit(new MonitorEvent.ConnectRetried(endpoint, failedAttempts, delay, error));
        retryTimer = loop.schedule(() -> {
            if (state == ClientState.RECONNECT_WAIT) {
                state = state.moveTo(ClientState.CONNECTING);
                dial();
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Refusals that another attempt would only repeat. */
    private static boolean isFatal(ReasonCode reason) {
        return reason == ReasonCode.BAD_USER_NAME_OR_PASSWORD || reason == ReasonCode.NOT_AUTHORIZED
                || reason == ReasonCode.BANNED || reason == ReasonCode.BAD_AUTHENTICATION_METHOD
                || reason == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID
                || reason == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION || reason == ReasonCode.SESSION_TAKEN_OVER;
    }

    /** Reconnecting cannot succeed: stop, and fail what waits on a connection. */
    private void giveUp(MqttClientException why) {
        LOG.warn("client {}: not reconnecting: {}", clientId, why.getMessage());
        state = state.moveTo(ClientState.IDLE);
        failEverything(new MqttClientException("the client stopped reconnecting: " + why.getMessage(),
                why.reasonCode(), why.reasonString(), why));
    }

    /** CONNACK accepted the connection. */
    private void connected(Link l, Connack connack) {
        cancel(attemptTimer);
        Properties p = connack.properties();
        String assigned = p.string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).orElse(null);
        if (assigned != null) {
            clientId = assigned;
            clientIdView = assigned;
        }
        int keepAlive = (int) p.integerOr(PropertyId.SERVER_KEEP_ALIVE, options.keepAlive());
        l.limits(p, keepAlive);
        l.connection.handshakeSucceeded(options.version(), clientId, keepAlive);
        state = state.moveTo(ClientState.CONNECTED);
        connectedView = true;
        failedAttempts = 0;
        triesLeft = 0;
        boolean resumed = connack.sessionPresent();
        boolean wasEstablished = sessionEstablished;
        sessionEstablished = true;
        ConnectResult result = new ConnectResult(l.endpoint, options.version(), clientId, resumed, p);
        emit(new MonitorEvent.Connected(l.endpoint, clientId, resumed));
        if (connecting != null) {
            CompletableFuture<ConnectResult> c = connecting;
            connecting = null;
            complete(c, result);
        }
        if (options.authentication() != null) {
            byte[] data = p.binary(PropertyId.AUTHENTICATION_DATA).map(BinaryData::toByteArray).orElse(null);
            callbacks.execute(() -> options.authentication().succeeded(data));
        }
        if (resumed) {
            resend(l);
        } else {
            sessionLost(wasEstablished);
        }
        sendRequests();
        drain();
        l.startPinging(keepAlive);
    }

    /** The broker resumed the session: re-send what it has not acknowledged, with the original identifiers. */
    private void resend(Link l) {
        for (OutboundPublish op : inflight.values()) {
            if (op.phase == OutboundPublish.Phase.RELEASED) {
                l.send(new Pubrel(op.packetId));
            } else {
                sendPublish(l, op);
            }
        }
    }

    /**
     * The broker has no session for this client (a clean start, or it lost it): what was in flight is moved back
     * to be sent afresh, except QoS 2 messages the broker already received (PUBREC), which count as delivered;
     * received messages awaiting acknowledgement are forgotten; confirmed subscriptions are sent again.
     */
    private void sessionLost(boolean wasEstablished) {
        List<OutboundPublish> again = new ArrayList<>();
        for (OutboundPublish op : inflight.values()) {
            ids.release(op.packetId);
            op.packetId = 0;
            op.sentBefore = false;
            if (op.phase == OutboundPublish.Phase.RELEASED) {
                finish(op, op.received, null);
            } else {
                op.phase = OutboundPublish.Phase.WAITING;
                again.add(op);
            }
        }
        inflight.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            waiting.addFirst(again.get(i));
        }
        for (InboundDelivery d : unacked) {
            d.dead = true;
        }
        unacked.clear();
        unackedById.clear();
        awaitingRelease.clear();
        if (wasEstablished) {
            List<Request> restores = new ArrayList<>();
            for (Inbox inbox : inboxes) {
                if (inbox.confirmed && inbox.hasFilters()) {
                    restores.add(new Request(inbox, inbox.activeRequestFilters(), null, null, true));
                }
            }
            if (!restores.isEmpty()) {
                LOG.debug("client {}: the broker lost the session; subscribing {} subscriptions again", clientId,
                        restores.size());
            }
            for (int i = restores.size() - 1; i >= 0; i--) {
                requestsWaiting.addFirst(restores.get(i));
            }
        }
    }

    /** The current connection ended. */
    private void linkEnded(Link l, ConnectionEnd end) {
        if (l != link) {
            return;
        }
        link = null;
        connectedView = false;
        // requests sent on it are sent again on the next connection, with new identifiers
        List<Request> unanswered = new ArrayList<>(requestsSent.values());
        for (Map.Entry<Integer, Request> e : requestsSent.entrySet()) {
            ids.release(e.getKey());
        }
        requestsSent.clear();
        for (int i = unanswered.size() - 1; i >= 0; i--) {
            requestsWaiting.addFirst(unanswered.get(i));
        }
        if (reauthenticating != null) {
            reauthDone(new MqttClientException("the connection ended during re-authentication: " + end.detail(),
                    end.reasonCode(), null, end.cause()));
        }
        switch (state) {
            case CONNECTING -> attemptFailed(l.attempt, l.endpoint, failure(end));
            case CONNECTED -> {
                emit(new MonitorEvent.Disconnected(l.connection.id(), l.connection.remoteAddress(), clientId,
                        end.reasonCode(), end.byPeer(), end.detail()));
                MqttClientException why = failure(end);
                if (!options.reconnect().enabled()) {
                    state = state.moveTo(ClientState.IDLE);
                } else if (isFatal(end.reasonCode())) {
                    giveUp(why);
                } else {
                    scheduleRetry(l.endpoint, why);
                }
            }
            case DISCONNECTING -> {
                emit(new MonitorEvent.Disconnected(l.connection.id(), l.connection.remoteAddress(), clientId,
                        end.reasonCode(), end.byPeer(), end.detail()));
                finishDisconnect();
            }
            default -> {
            }
        }
    }

    private static MqttClientException failure(ConnectionEnd end) {
        return new MqttClientException("connection ended: " + end.detail(), end.reasonCode(), null, end.cause());
    }

    // =====================================================================================================
    // Disconnecting and closing
    // =====================================================================================================

    private CompletableFuture<Void> pendingDisconnect;
    private boolean closing;

    private void startDisconnect(ReasonCode reason, CompletableFuture<Void> done, boolean close) {
        closing |= close;
        switch (state) {
            case CONNECTED -> {
                state = state.moveTo(ClientState.DISCONNECTING);
                pendingDisconnect = done;
                Link l = link;
                Disconnect last = options.version().isV5() ? new Disconnect(reason) : new Disconnect(
                        ReasonCode.NORMAL_DISCONNECTION);
                l.close(last, new ConnectionEnd(reason, false, false, "the client disconnected", null));
            }
            case DISCONNECTING -> {
                CompletableFuture<Void> earlier = pendingDisconnect;
                earlier.whenComplete((v, e) -> done.complete(null));
            }
            case CONNECTING, RECONNECT_WAIT -> {
                attempt++;
                cancel(attemptTimer);
                cancel(retryTimer);
                if (link != null) {
                    Link l = link;
                    link = null;
                    l.close(null, new ConnectionEnd(reason, false, false, "the client disconnected", null));
                }
                if (connecting != null) {
                    CompletableFuture<ConnectResult> c = connecting;
                    connecting = null;
                    fail(c, new MqttClientException("disconnected before the connect finished"));
                }
                state = state.moveTo(ClientState.IDLE);
                pendingDisconnect = done;
                finishDisconnect();
            }
            case IDLE -> {
                pendingDisconnect = done;
                finishDisconnect();
            }
            case CLOSED -> complete(done, null);
        }
    }

    private void finishDisconnect() {
        if (state == ClientState.DISCONNECTING) {
            state = state.moveTo(ClientState.IDLE);
        }
        if (closing) {
            state = state.moveTo(ClientState.CLOSED);
            closedView = true;
            failEverything(closed());
            for (Inbox inbox : inboxes) {
                inbox.end();
            }
            inboxes.clear();
            if (unmatched != null) {
                unmatched.end();
            }
            emit(new MonitorEvent.Closed());
        }
        CompletableFuture<Void> d = pendingDisconnect;
        pendingDisconnect = null;
        if (d != null) {
            complete(d, null);
        }
    }

    /** Fails every publish and request still waiting (the client closed, or stopped reconnecting). */
    private void failEverything(MqttClientException why) {
        for (OutboundPublish op : inflight.values()) {
            ids.release(op.packetId);
            finish(op, null, why);
        }
        inflight.clear();
        for (OutboundPublish op : waiting) {
            finish(op, null, why);
        }
        waiting.clear();
        for (Request r : requestsWaiting) {
            if (r.done != null) {
                fail(r.done, why);
            }
        }
        requestsWaiting.clear();
        for (Map.Entry<Integer, Request> e : requestsSent.entrySet()) {
            ids.release(e.getKey());
            if (e.getValue().done != null) {
                fail(e.getValue().done, why);
            }
        }
        requestsSent.clear();
        if (connecting != null) {
            fail(connecting, why);
            connecting = null;
        }
    }

    // =====================================================================================================
    // Publishing
    // =====================================================================================================

    private void enqueue(OutboundPublish op) {
        if (state == ClientState.CLOSED) {
            finish(op, null, closed());
            return;
        }
        waiting.add(op);
        drain();
    }

    /** Sends waiting publishes in order while the broker's Receive Maximum leaves room. */
    private void drain() {
        Link l = link;
        if (state != ClientState.CONNECTED || l == null) {
            return;
        }
        while (!waiting.isEmpty()) {
            OutboundPublish op = waiting.peek();
            if (op.message.qos() != QoS.AT_MOST_ONCE) {
                if (inflight.size() >= l.sendQuota) {
                    return;
                }
                if (op.packetId == 0) {
                    op.packetId = ids.take();
                    if (op.packetId == 0) {
                        return; // every identifier is in use: the next acknowledgement frees one
                    }
                }
            }
            waiting.poll();
            String refused = l.refusal(op.message);
            if (refused != null) {
                ids.release(op.packetId);
                finish(op, null, new MqttClientException(refused, l.refusalCode(op.message), null, null));
                continue;
            }
            if (!sendPublish(l, op)) {
                continue;
            }
            if (op.message.qos() == QoS.AT_MOST_ONCE) {
                // runs after this turn's flush, which the write above scheduled: "written" means handed to the socket
                loop.execute(() -> finish(op, PublishResult.WRITTEN, null));
            } else {
                op.phase = OutboundPublish.Phase.PUBLISHED;
                inflight.put(op.packetId, op);
            }
        }
    }

    /** Writes a PUBLISH; false (and the publish failed) when it exceeds the broker's Maximum Packet Size. */
    private boolean sendPublish(Link l, OutboundPublish op) {
        ApplicationMessage m = op.message;
        ByteBuf payload = Unpooled.wrappedBuffer(m.payload());
        try {
            Publish publish = l.publishPacket(m, op.packetId, op.sentBefore, payload);
            if (publish == null) {
                ids.release(op.packetId);
                inflight.remove(op.packetId);
                finish(op, null, new MqttClientException("the message is larger than the broker's Maximum Packet "
                        + "Size of " + l.maxPacketSize + " bytes", ReasonCode.PACKET_TOO_LARGE, null, null));
                return false;
            }
            op.sentBefore = op.message.qos() != QoS.AT_MOST_ONCE;
            l.send(publish);
            return true;
        } finally {
            payload.release();
        }
    }

    /** The publish is over: free its room and report the outcome, off the loop. */
    private void finish(OutboundPublish op, PublishResult result, Throwable error) {
        budget.release(op.size);
        if (error != null) {
            fail(op.done, error);
        } else {
            complete(op.done, result);
        }
    }

    private void acknowledged(PublishAck ack) {
        OutboundPublish op = inflight.get(ack.packetId());
        Link l = link;
        if (ack instanceof Pubrec && op == null) {
            // not ours (a re-sent PUBREC after we finished): MQTT-4.3.3 still wants a PUBREL
            l.send(new Pubrel(ack.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
            return;
        }
        if (op == null) {
            LOG.debug("client {}: {} for a packet identifier not in flight", clientId, ack.type());
            return;
        }
        boolean refused = ack.reasonCode().isError();
        if (ack instanceof Pubrec && !refused) {
            op.phase = OutboundPublish.Phase.RELEASED;
            op.received = new PublishResult(ack.reasonCode(), ack.properties());
            l.send(new Pubrel(op.packetId));
            return;
        }
        inflight.remove(op.packetId);
        ids.release(op.packetId);
        if (refused) {
            finish(op, null, new MqttClientException("the broker refused the publish to '" + op.message.topic()
                    + "': " + ack.reasonCode(), ack.reasonCode(),
                    ack.properties().string(PropertyId.REASON_STRING).orElse(null), null));
        } else {
            finish(op, ack instanceof Pubcomp ? op.received : new PublishResult(ack.reasonCode(), ack.properties()),
                    null);
        }
        drain();
    }

    // =====================================================================================================
    // Receiving
    // =====================================================================================================

    private void received(Link l, Publish p) {
        String topic;
        try {
            topic = l.resolveAlias(p);
        } catch (MqttClientException e) {
            p.payload().release();
            l.protocolError(ReasonCode.TOPIC_ALIAS_INVALID, e.getMessage());
            return;
        }
        InboundDelivery delivery = null;
        if (p.qos() != QoS.AT_MOST_ONCE) {
            int id = p.packetId();
            if (p.qos() == QoS.EXACTLY_ONCE && awaitingRelease.get(id)) {
                p.payload().release();
                l.send(new Pubrec(id)); // a re-sent PUBLISH we already took: MQTT-4.3.3-9
                return;
            }
            if (unackedById.containsKey(id)) {
                p.payload().release();
                flushAcks(); // a re-send of one the application still holds, or has taken since
                return;
            }
            if (options.version().isV5() && unacked.size() >= options.receiveMaximum() && !l.overrunReported) {
                // MQTT-3.3.4-9 binds the broker, and Mosquitto (2.0) breaks it: it counts a QoS 2 message done at
                // PUBREC, and overshoots when acknowledgements and new messages cross. Dropping the connection
                // would turn that into churn (and lost messages on a clean session); the packet identifiers still
                // bound what can be unacknowledged, so the client takes them and says so once per connection.
                l.overrunReported = true;
                LOG.warn("client {}: the broker at {} sends more than Receive Maximum {} unacknowledged QoS 1/2"
                        + " messages; taking them", clientId, l.endpoint, options.receiveMaximum());
            }
            delivery = new InboundDelivery(id, p.qos() == QoS.EXACTLY_ONCE);
        }
        ApplicationMessage message = toMessage(topic, p);
        int holders = 0;
        for (Inbox inbox : inboxes) {
            if (inbox.matches(topic) && inbox.offer(message, delivery)) {
                holders++;
            }
        }
        if (holders == 0 && !anyMatch(topic)) {
            if (unmatched != null) {
                if (unmatched.offer(message, delivery)) {
                    holders++;
                }
            } else {
                unmatchedDropped.incrementAndGet();
                LOG.debug("client {}: a message on '{}' matches no subscription; dropped", clientId, topic);
            }
        }
        if (delivery != null) {
            delivery.holders = holders;
            unacked.add(delivery);
            unackedById.put(delivery.packetId, delivery);
            flushAcks();
        }
    }

    private boolean anyMatch(String topic) {
        for (Inbox inbox : inboxes) {
            if (inbox.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /** The application's copy of a received message: taken once, so the network buffer is freed at once. */
    private static ApplicationMessage toMessage(String topic, Publish p) {
        ByteBuf payload = p.payload();
        byte[] bytes;
        try {
            bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
        } finally {
            payload.release();
        }
        Properties props = p.properties();
        if (props.contains(PropertyId.TOPIC_ALIAS)) {
            props = props.toBuilder().remove(PropertyId.TOPIC_ALIAS).build();
        }
        return ApplicationMessage.received(topic, bytes, p.qos(), p.retain(), p.dup(), props);
    }

    /** Acknowledges taken messages from the oldest, stopping at the first one the application still holds. */
    private void flushAcks() {
        Link l = link;
        while (!unacked.isEmpty() && unacked.peek().holders <= 0) {
            if (state != ClientState.CONNECTED || l == null) {
                return; // acknowledged when the broker re-sends it on the resumed session
            }
            InboundDelivery d = unacked.poll();
            unackedById.remove(d.packetId);
            if (d.dead) {
                continue;
            }
            if (d.exactlyOnce) {
                awaitingRelease.set(d.packetId);
                l.send(new Pubrec(d.packetId));
            } else {
                l.send(new Puback(d.packetId));
            }
        }
    }

    private void released(Link l, Pubrel rel) {
        int id = rel.packetId();
        boolean known = awaitingRelease.get(id);
        awaitingRelease.clear(id);
        l.send(known || !options.version().isV5() ? new Pubcomp(id)
                : new Pubcomp(id, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
    }

    // =====================================================================================================
    // Subscribing
    // =====================================================================================================

    private void sendRequests() {
        Link l = link;
        if (state != ClientState.CONNECTED || l == null) {
            return;
        }
        while (!requestsWaiting.isEmpty()) {
            int id = ids.take();
            if (id == 0) {
                return;
            }
            Request r = requestsWaiting.poll();
            requestsSent.put(id, r);
            if (r.subscribing != null) {
                List<Subscription> subs = new ArrayList<>();
                for (SubscribeRequest.Filter f : r.subscribing) {
                    subs.add(new Subscription(f.filter(), options.version().isV5() ? f.options()
                            : zzq.codec.packet.SubscriptionOptions.of(f.options().qos())));
                }
                l.send(new Subscribe(id, subs, subscribeProperties(r.inbox.request)));
            } else {
                l.send(new Unsubscribe(id, r.unsubscribing, Properties.EMPTY));
            }
        }
    }

    private Properties subscribeProperties(SubscribeRequest request) {
        if (!options.version().isV5()) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder();
        if (request.identifier() > 0) {
            b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, request.identifier());
        }
        for (UserProperty u : request.userProperties()) {
            b.add(u);
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private void subacked(Suback ack) {
        Request r = requestsSent.remove(ack.packetId());
        if (r == null || r.subscribing == null) {
            LOG.debug("client {}: SUBACK for an unknown packet identifier {}", clientId, ack.packetId());
            return;
        }
        ids.release(ack.packetId());
        r.inbox.subscribed(r.subscribing, ack.reasonCodes());
        if (!r.inbox.hasFilters()) {
            inboxes.remove(r.inbox);
            r.inbox.end();
        }
        if (r.restore) {
            for (int i = 0; i < ack.reasonCodes().size(); i++) {
                if (ack.reasonCodes().get(i).isError()) {
                    LOG.warn("client {}: the broker refused to restore the subscription to '{}': {}", clientId,
                            r.subscribing.get(i).filter(), ack.reasonCodes().get(i));
                }
            }
        } else {
            complete((CompletableFuture<zzq.engine.Subscription>) r.done, r.inbox);
        }
        sendRequests();
    }

    @SuppressWarnings("unchecked")
    private void unsubacked(Unsuback ack) {
        Request r = requestsSent.remove(ack.packetId());
        if (r == null || r.unsubscribing == null) {
            LOG.debug("client {}: UNSUBACK for an unknown packet identifier {}", clientId, ack.packetId());
            return;
        }
        ids.release(ack.packetId());
        for (Iterator<Inbox> it = inboxes.iterator(); it.hasNext(); ) {
            Inbox inbox = it.next();
            if ((r.inbox == null || r.inbox == inbox) && inbox.unsubscribed(r.unsubscribing) && !inbox.hasFilters()) {
                it.remove();
                inbox.end();
            }
        }
        List<ReasonCode> answer = ack.reasonCodes();
        if (answer.isEmpty()) {
            // 3.1.1's UNSUBACK has no reason codes: it means every filter was unsubscribed
            answer = java.util.Collections.nCopies(r.unsubscribing.size(), ReasonCode.SUCCESS);
        }
        complete((CompletableFuture<List<ReasonCode>>) r.done, answer);
        sendRequests();
    }

    // =====================================================================================================
    // Enhanced authentication
    // =====================================================================================================

    private Auth authPacket(ReasonCode reason, byte[] data) {
        Properties.Builder b = Properties.builder().add(PropertyId.AUTHENTICATION_METHOD,
                options.authentication().method());
        if (data != null) {
            b.add(PropertyId.AUTHENTICATION_DATA, BinaryData.of(data));
        }
        return new Auth(reason, b.build());
    }

    private void authReceived(Link l, Auth auth) {
        ClientAuthentication a = options.authentication();
        if (a == null) {
            l.protocolError(ReasonCode.PROTOCOL_ERROR, "AUTH without enhanced authentication");
            return;
        }
        byte[] data = auth.properties().binary(PropertyId.AUTHENTICATION_DATA).map(BinaryData::toByteArray)
                .orElse(null);
        if (auth.reasonCode() == ReasonCode.SUCCESS) {
            callbacks.execute(() -> a.succeeded(data));
            reauthDone(null);
            return;
        }
        if (auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION) {
            l.protocolError(ReasonCode.PROTOCOL_ERROR, "AUTH with reason " + auth.reasonCode());
            return;
        }
        callbacks.execute(() -> {
            byte[] answer;
            try {
                answer = a.challenge(data);
            } catch (RuntimeException e) {
                loop.execute(() -> {
                    MqttClientException why = new MqttClientException("the authentication failed: " + e, e);
                    if (state == ClientState.CONNECTING) {
                        attemptFailed(l.attempt, l.endpoint, why);
                    } else if (l == link) {
                        reauthDone(why);
                        l.close(new Disconnect(ReasonCode.NOT_AUTHORIZED), new ConnectionEnd(
                                ReasonCode.NOT_AUTHORIZED, false, false, why.getMessage(), e));
                    }
                });
                return;
            }
            loop.execute(() -> {
                if (l == link) {
                    l.send(authPacket(ReasonCode.CONTINUE_AUTHENTICATION, answer));
                }
            });
        });
    }

    private void reauthDone(MqttClientException error) {
        CompletableFuture<Void> r = reauthenticating;
        reauthenticating = null;
        if (r != null) {
            if (error == null) {
                complete(r, null);
            } else {
                fail(r, error);
            }
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public String toString() {
        return (clientIdView.isEmpty() ? "no client id yet" : clientIdView)
                + (connectedView ? ", connected" : closedView ? ", closed" : ", not connected");
    }

    // =====================================================================================================
    // One connection
    // =====================================================================================================

    /** One connection of this client: its packets, its limits from CONNACK, its topic aliases and its pings. */
    private final class Link implements PacketHandler {
        final Connection connection;
        final long attempt;
        final Endpoint endpoint;
        int sendQuota = 65_535;
        int maxPacketSize = MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE;
        QoS maximumQos = QoS.EXACTLY_ONCE;
        boolean retainAvailable = true;
        OutgoingTopicAliases aliasesOut = new OutgoingTopicAliases(0);
        final Map<Integer, String> aliasesIn = new HashMap<>();
        long lastReadNanos = System.nanoTime();
        long lastWriteNanos = System.nanoTime();
        boolean pingOutstanding;
        /** Whether this connection's broker was caught exceeding the client's Receive Maximum (logged once). */
        boolean overrunReported;
        ScheduledFuture<?> pingTimer;
        boolean closed;

        Link(Connection connection, long attempt, Endpoint endpoint, byte[] authData) {
            this.connection = connection;
            this.attempt = attempt;
            this.endpoint = endpoint;
            if (attempt != ClientCore.this.attempt || state != ClientState.CONNECTING) {
                // an attempt given up on (timed out, disconnected) that connected late
                closed = true;
                connection.close(null, new ConnectionEnd(ReasonCode.NORMAL_DISCONNECTION, false, false,
                        "a stale connect attempt", null));
                return;
            }
            link = this;
            // after the first session, resume it when the broker keeps sessions (5.0 expiry, 3.1.1 persistent)
            boolean cleanStart = options.version().isV5()
                    ? (sessionEstablished ? options.sessionExpirySeconds() == 0 : options.cleanStart())
                    : options.cleanStart();
            send(ConnectPacket.build(options, clientId, cleanStart, authData));
        }

        void send(MqttPacket packet) {
            if (!closed) {
                lastWriteNanos = System.nanoTime();
                connection.send(packet);
            }
        }

        void close(MqttPacket last, ConnectionEnd end) {
            closed = true;
            cancel(pingTimer);
            connection.close(last, end);
        }

        /** Takes the broker's limits from CONNACK (5.0); 3.1.1 has none to say. */
        void limits(Properties p, int keepAlive) {
            sendQuota = (int) p.integerOr(PropertyId.RECEIVE_MAXIMUM,
                    options.version().isV5() ? 65_535 : V3_IN_FLIGHT);
            maxPacketSize = (int) Math.min(Integer.MAX_VALUE,
                    p.integerOr(PropertyId.MAXIMUM_PACKET_SIZE, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE));
            maximumQos = QoS.of((int) p.integerOr(PropertyId.MAXIMUM_QOS, 2));
            retainAvailable = p.integerOr(PropertyId.RETAIN_AVAILABLE, 1) == 1;
            aliasesOut = new OutgoingTopicAliases((int) p.integerOr(PropertyId.TOPIC_ALIAS_MAXIMUM, 0));
        }

        /** Why the broker's limits forbid this message, or {@code null}. */
        String refusal(ApplicationMessage m) {
            if (m.qos().value() > maximumQos.value()) {
                return "the broker's Maximum QoS is " + maximumQos.value() + ": cannot publish at QoS "
                        + m.qos().value();
            }
            if (m.retain() && !retainAvailable) {
                return "the broker does not support retained messages";
            }
            return null;
        }

        ReasonCode refusalCode(ApplicationMessage m) {
            return m.qos().value() > maximumQos.value() ? ReasonCode.QOS_NOT_SUPPORTED
                    : ReasonCode.RETAIN_NOT_SUPPORTED;
        }

        /**
         * The PUBLISH for a message, with a topic alias when the broker allows them; {@code null} when it is larger
         * than the broker's Maximum Packet Size.
         */
        Publish publishPacket(ApplicationMessage m, int packetId, boolean dup, ByteBuf payload) {
            Publish full = new Publish(m.topic(), m.qos(), m.retain(), dup, packetId, m.properties(), payload);
            int length = MqttEncoder.encodedLength(full, options.version());
            if (length > maxPacketSize) {
                return null;
            }
            // a Topic Alias adds 3 bytes and may lengthen both length fields by one: use one only with room for it
            int alias = options.version().isV5() && length + 5 <= maxPacketSize ? aliasesOut.aliasFor(m.topic()) : 0;
            if (alias == 0) {
                return full;
            }
            Properties props = m.properties().toBuilder().add(PropertyId.TOPIC_ALIAS, Math.abs(alias)).build();
            // a known alias stands for the topic; a new one is sent with it (section 3.3.2.3.4)
            return new Publish(alias > 0 ? "" : m.topic(), m.qos(), m.retain(), dup, packetId, props, payload);
        }

        /** The topic of a received PUBLISH, through the broker's topic alias if it used one. */
        String resolveAlias(Publish p) {
            long alias = p.properties().integerOr(PropertyId.TOPIC_ALIAS, 0);
            if (alias == 0) {
                return p.topic();
            }
            if (alias > options.topicAliasMaximum()) {
                throw new MqttClientException("topic alias " + alias + " is above the client's Topic Alias Maximum "
                        + options.topicAliasMaximum());
            }
            if (p.topic().isEmpty()) {
                String topic = aliasesIn.get((int) alias);
                if (topic == null) {
                    throw new MqttClientException("topic alias " + alias + " was never set");
                }
                return topic;
            }
            aliasesIn.put((int) alias, p.topic());
            return p.topic();
        }

        void protocolError(ReasonCode reason, String detail) {
            LOG.warn("client {}: closing the connection to {}: {}", clientId, endpoint, detail);
            close(options.version().isV5() ? new Disconnect(reason) : null,
                    new ConnectionEnd(reason, false, false, detail, null));
        }

        void startPinging(int keepAliveSeconds) {
            if (keepAliveSeconds <= 0) {
                return;
            }
            long half = TimeUnit.SECONDS.toNanos(keepAliveSeconds) / 2;
            pingTimer = loop.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                // pinging on read silence too keeps a publish-only client from looking dead to its own check
                if (!closed && !pingOutstanding && (now - lastWriteNanos >= half || now - lastReadNanos >= half)) {
                    pingOutstanding = true;
                    send(Pingreq.INSTANCE);
                }
            }, half, half, TimeUnit.NANOSECONDS);
        }

        @Override
        public void packet(MqttPacket packet) {
            if (closed || this != link) {
                if (packet instanceof Publish p) {
                    p.payload().release();
                }
                return;
            }
            lastReadNanos = System.nanoTime();
            if (state == ClientState.CONNECTING) {
                handshakePacket(packet);
                return;
            }
            switch (packet.type()) {
                case PUBLISH -> received(this, (Publish) packet);
                case PUBACK, PUBREC, PUBCOMP -> acknowledged((PublishAck) packet);
                case PUBREL -> released(this, (Pubrel) packet);
                case SUBACK -> subacked((Suback) packet);
                case UNSUBACK -> unsubacked((Unsuback) packet);
                case PINGRESP -> pingOutstanding = false;
                case AUTH -> authReceived(this, (Auth) packet);
                case DISCONNECT -> {
                    Disconnect d = (Disconnect) packet;
                    String reason = d.properties().string(PropertyId.REASON_STRING).orElse(null);
                    close(null, new ConnectionEnd(d.reasonCode(), true, false, "the broker disconnected: "
                            + d.reasonCode() + (reason == null ? "" : " (" + reason + ")"), null));
                }
                default -> protocolError(ReasonCode.PROTOCOL_ERROR, "a broker does not send " + packet.type());
            }
        }

        private void handshakePacket(MqttPacket packet) {
            if (packet instanceof Connack c) {
                if (c.reasonCode().isError()) {
                    String reason = c.properties().string(PropertyId.REASON_STRING).orElse(null);
                    attemptFailed(attempt, endpoint, new ConnectRefusedException("the broker at " + endpoint
                            + " refused the connection: " + c.reasonCode()
                            + (reason == null ? "" : " (" + reason + ")"), c.reasonCode(), reason));
                } else {
                    connected(this, c);
                }
            } else if (packet instanceof Auth a) {
                authReceived(this, a);
            } else {
                if (packet instanceof Publish p) {
                    p.payload().release();
                }
                attemptFailed(attempt, endpoint, new MqttClientException("the broker at " + endpoint + " sent "
                        + packet.type() + " before CONNACK", ReasonCode.PROTOCOL_ERROR, null, null));
            }
        }

        @Override
        public void ended(ConnectionEnd end) {
            closed = true;
            cancel(pingTimer);
            linkEnded(this, end);
        }
    }
}
