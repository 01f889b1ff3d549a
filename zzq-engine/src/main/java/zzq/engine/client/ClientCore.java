package zzq.engine.client;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.Connection;
import zzq.api.spi.ConnectionEnd;
import zzq.codec.MqttDecoder;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Unsuback;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientAuthentication;
import zzq.engine.ClientOptions;
import zzq.engine.ConnectRefusedException;
import zzq.engine.ConnectResult;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;
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

    private final ClientOptions options;
    private final Engine engine;
    private final EventLoop loop;
    private final Executor callbacks;
    private final Completions completions;
    private final SerialRunner monitorRunner;
    private final PublishBudget budget;
    private final List<Consumer<? super MonitorEvent>> monitors = new CopyOnWriteArrayList<>();
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
    private final Outbound outbound;
    private final Inbound inbound;
    private final Requests requests;
    private final Link.Session linkSession = new Link.Session() {
        @Override
        public void packet(Link l, MqttPacket packet) {
            linkPacket(l, packet);
        }

        @Override
        public void ended(Link l, ConnectionEnd end) {
            linkEnded(l, end);
        }
    };

    public ClientCore(ClientOptions options) {
        this.options = options;
        ClientEngine shared = ClientEngine.get(options.nativeIo());
        this.engine = shared.engine();
        this.loop = engine.group().next();
        this.callbacks = shared.callbacks();
        this.completions = new Completions(callbacks);
        this.monitorRunner = new SerialRunner(callbacks);
        this.budget = new PublishBudget(options.maxQueuedPublishes(), options.maxQueuedBytes());
        this.outbound = new Outbound(loop, ids, budget);
        this.inbound = new Inbound(options);
        this.requests = new Requests(options.version(), ids, inbound, completions);
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

    /**
     * Publishes. The future returned completes on the event loop itself, so it must not be handed to the
     * application, which could attach a dependent stage that runs there: a blocking caller waits on it directly,
     * which costs no thread hop; {@link #publishAsync} relays it.
     */
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

    /** Publishes without waiting for room; the future completes off the loop, for the application. */
    public CompletableFuture<PublishResult> publishAsync(ApplicationMessage message) {
        CompletableFuture<PublishResult> relayed = new CompletableFuture<>();
        publish(message, 0).whenComplete((r, e) -> {
            if (e != null) {
                fail(relayed, e);
            } else {
                complete(relayed, r);
            }
        });
        return relayed;
    }

    public CompletableFuture<Subscription> subscribe(SubscribeRequest request) {
        CompletableFuture<Subscription> done = new CompletableFuture<>();
        Inbox inbox = new Inbox(this, request, options.subscriptionBuffer(), new SerialRunner(callbacks));
        onLoop(done, () -> {
            if (state == ClientState.CLOSED) {
                fail(done, closed());
                return;
            }
            requests.subscribe(inbox, done, connectedLink());
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
            requests.unsubscribe(null, filters, done, connectedLink());
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
                inbound.inboxes().remove(inbox);
                inbox.end();
                complete(done, List.of());
                return;
            }
            requests.unsubscribe(inbox, filters, done, connectedLink());
        });
        return done;
    }

    public Subscription unmatched() {
        CompletableFuture<Inbox> made = new CompletableFuture<>();
        loop.execute(() -> {
            if (inbound.unmatched() == null) {
                inbound.unmatched(new Inbox(this, null, options.subscriptionBuffer(), new SerialRunner(callbacks)));
                if (state == ClientState.CLOSED) {
                    inbound.unmatched().end();
                }
            }
            made.complete(inbound.unmatched());
        });
        return await(made, "creating the unmatched inbox");
    }

    public long unmatchedDropped() {
        return inbound.unmatchedDropped();
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
        return await(future, options.requestTimeout(), what);
    }

    /**
     * Blocks for a future: its value, or its failure as an unchecked exception ({@link MqttClientException} for a
     * timeout or an interrupt, which is re-asserted).
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new MqttClientException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new MqttClientException(what + " got no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttClientException(what + " was interrupted", e);
        }
    }

    /** A subscription handed a QoS 1 or 2 message to the application. */
    void taken(InboundDelivery delivery) {
        loop.execute(() -> inbound.taken(delivery, connectedLink()));
    }

    /** The connection when the client is connected, else {@code null}: what may carry packets now. */
    private Link connectedLink() {
        return state == ClientState.CONNECTED ? link : null;
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
        completions.execute(() -> future.complete(value));
    }

    private void fail(CompletableFuture<?> future, Throwable error) {
        completions.execute(() -> future.completeExceptionally(error));
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
            dialed = engine.dial(endpoint, options.transportOptions(), new Engine.Dial(loop, options.version(), maxPacket,
                    options.connectTimeout(), c -> newLink(c, thisAttempt, endpoint, authData)));
        } catch (RuntimeException e) {
            attemptFailed(thisAttempt, endpoint, new MqttClientException("cannot dial " + endpoint + ": "
                    + e.getMessage(), e));
            return;
        }
        dialed.addListener(f -> {
            if (!f.isSuccess()) {
                loop.execute(() -> attemptFailed(thisAttempt, endpoint, new MqttClientException(
                        "cannot reach " + endpoint + ": " + (f.cause().getMessage() != null ? f.cause().getMessage()
                                : f.cause().toString()), f.cause())));
            }
        });
    }

    /** The dialed connection is up: it becomes the client's link, and sends CONNECT, unless its attempt is stale. */
    private Link newLink(Connection connection, long thisAttempt, Endpoint endpoint, byte[] authData) {
        Link l = new Link(connection, thisAttempt, endpoint, linkSession, options.version(),
                options.topicAliasMaximum());
        if (thisAttempt != attempt || state != ClientState.CONNECTING) {
            // an attempt given up on (timed out, disconnected) that connected late
            l.close(null, new ConnectionEnd(ReasonCode.NORMAL_DISCONNECTION, false, false,
                    "a stale connect attempt", null));
            return l;
        }
        link = l;
        // after the first session, resume it when the broker keeps sessions (5.0 expiry, 3.1.1 persistent)
        boolean cleanStart = options.version().isV5()
                ? (sessionEstablished ? options.sessionExpirySeconds() == 0 : options.cleanStart())
                : options.cleanStart();
        l.send(ConnectPacket.build(options, clientId, cleanStart, authData));
        return l;
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
            giveUp(endpoint, error);
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
    private void giveUp(Endpoint endpoint, MqttClientException why) {
        LOG.warn("client {}: not reconnecting: {}", clientId, why.getMessage());
        state = state.moveTo(ClientState.IDLE);
        emit(new MonitorEvent.ReconnectStopped(endpoint, why));
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
        l.limits(p);
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
        CompletableFuture<ConnectResult> c = connecting;
        connecting = null;
        if (options.authentication() != null) {
            byte[] data = p.binary(PropertyId.AUTHENTICATION_DATA).map(BinaryData::toByteArray).orElse(null);
            authSucceeded(data, c, result);
        } else if (c != null) {
            complete(c, result);
        }
        if (resumed) {
            outbound.resend(l);
        } else {
            // the broker has no session (a clean start, or it lost it): start this side's afresh too
            outbound.sessionLost();
            inbound.sessionLost();
            if (wasEstablished) {
                requests.restore();
            }
        }
        requests.send(l);
        outbound.drain(l);
        l.startPinging(keepAlive);
    }

    /** The current connection ended. */
    private void linkEnded(Link l, ConnectionEnd end) {
        if (l != link) {
            return;
        }
        link = null;
        connectedView = false;
        requests.linkLost();
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
                    giveUp(l.endpoint, why);
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
            inbound.endAll();
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
        outbound.failAll(why);
        requests.failAll(why);
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
            outbound.finish(op, null, closed());
            return;
        }
        outbound.add(op, connectedLink());
    }

    // =====================================================================================================
    // The packets of a connection
    // =====================================================================================================

    private void linkPacket(Link l, MqttPacket packet) {
        if (l != link) {
            if (packet instanceof Publish p) {
                p.payload().release();
            }
            return;
        }
        if (state == ClientState.CONNECTING) {
            handshakePacket(l, packet);
            return;
        }
        switch (packet.type()) {
            case PUBLISH -> inbound.received(l, (Publish) packet);
            case PUBACK, PUBREC, PUBCOMP -> outbound.acknowledged(l, (PublishAck) packet);
            case PUBREL -> inbound.released(l, (Pubrel) packet);
            case SUBACK -> requests.subacked((Suback) packet, l);
            case UNSUBACK -> requests.unsubacked((Unsuback) packet, l);
            case AUTH -> authReceived(l, (Auth) packet);
            case DISCONNECT -> {
                Disconnect d = (Disconnect) packet;
                String reason = d.properties().string(PropertyId.REASON_STRING).orElse(null);
                l.close(null, new ConnectionEnd(d.reasonCode(), true, false, "the broker disconnected: "
                        + d.reasonCode() + (reason == null ? "" : " (" + reason + ")"), null));
            }
            default -> l.protocolError(ReasonCode.PROTOCOL_ERROR, "a broker does not send " + packet.type());
        }
    }

    private void handshakePacket(Link l, MqttPacket packet) {
        if (packet instanceof Connack c) {
            if (c.reasonCode().isError()) {
                String reason = c.properties().string(PropertyId.REASON_STRING).orElse(null);
                attemptFailed(l.attempt, l.endpoint, new ConnectRefusedException("the broker at " + l.endpoint
                        + " refused the connection: " + c.reasonCode()
                        + (reason == null ? "" : " (" + reason + ")"), c.reasonCode(), reason));
            } else {
                connected(l, c);
            }
        } else if (packet instanceof Auth a) {
            authReceived(l, a);
        } else {
            if (packet instanceof Publish p) {
                p.payload().release();
            }
            attemptFailed(l.attempt, l.endpoint, new MqttClientException("the broker at " + l.endpoint + " sent "
                    + packet.type() + " before CONNACK", ReasonCode.PROTOCOL_ERROR, null, null));
        }
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
            CompletableFuture<Void> r = reauthenticating;
            reauthenticating = null;
            authSucceeded(data, r, null);
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

    /**
     * Tells the authentication of the broker's success, then completes {@code done} (if any): in that order, so the
     * connect or re-authentication returns only once {@code succeeded} has seen the broker's final data.
     */
    private <T> void authSucceeded(byte[] data, CompletableFuture<T> done, T value) {
        callbacks.execute(() -> {
            try {
                options.authentication().succeeded(data);
            } catch (RuntimeException e) {
                LOG.warn("client {}: the authentication's succeeded() failed", clientId, e);
            }
            if (done != null) {
                done.complete(value);
            }
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
}
