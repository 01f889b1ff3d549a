package zzq.engine.broker;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import zzq.api.spi.AuthExchange;
import zzq.api.spi.AuthStep;
import zzq.api.spi.ClientIdentity;
import zzq.api.spi.Connection;
import zzq.api.spi.ConnectionEnd;
import zzq.api.spi.PacketHandler;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.Topics;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.packet.Will;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/**
 * The broker's side of one client connection: the MQTT conversation after the engine has framed the bytes. Runs on
 * the connection's event loop only (its session runs there too while attached).
 */
final class ClientConnection implements PacketHandler {
    /** Where the conversation stands; see {@link #move}. */
    enum Phase {
        /** Waiting for CONNECT. */
        AWAITING_CONNECT,
        /** In a 5.0 enhanced authentication exchange before CONNACK. */
        AUTHENTICATING,
        /** Accepted; the session is being taken over or created. Packets that arrive meanwhile wait. */
        ATTACHING,
        /** CONNACK sent: messages flow. */
        CONNECTED,
        /** The connection ended. */
        ENDED;

        boolean canMoveTo(Phase next) {
            return switch (this) {
                case AWAITING_CONNECT -> next == AUTHENTICATING || next == ATTACHING || next == ENDED;
                case AUTHENTICATING -> next == ATTACHING || next == ENDED;
                case ATTACHING -> next == CONNECTED || next == ENDED;
                case CONNECTED -> next == ENDED;
                case ENDED -> false;
            };
        }
    }

    /** How long a publisher stays paused at most: a cycle of paused clients must not wait on each other forever. */
    private static final long MAX_PAUSE_MILLIS = 500;

    private final BrokerRouting broker;
    private final Connection conn;
    private Phase phase = Phase.AWAITING_CONNECT;
    private Handshake handshake;
    private MqttVersion version;
    private String clientId;
    private ClientIdentity identity;
    private Session session;
    private Will will;
    private TopicAliases aliases;
    private Enhanced enhanced;
    private List<MqttPacket> waiting;
    /** Enhanced authentication's properties for the CONNACK, kept while the session is being opened. */
    private Properties pendingAuthProperties;
    private final Set<Session> pausedBy = new HashSet<>();
    /** Acknowledgements waiting for the store to make what they acknowledge durable; later ones queue behind. */
    private int acksWaiting;
    private ScheduledFuture<?> pauseValve;

    ClientConnection(BrokerRouting broker, Connection conn) {
        this.broker = broker;
        this.conn = conn;
    }

    private void move(Phase next) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("client connection cannot go from " + phase + " to " + next);
        }
        phase = next;
    }

    EventExecutor loop() {
        return conn.executor();
    }

    // ---- packets in ----

    @Override
    public void packet(MqttPacket packet) {
        switch (phase) {
            case AWAITING_CONNECT -> {
                if (packet instanceof Connect c) {
                    onConnect(c);
                } else {
                    release(packet);
                    protocolError("the first packet must be CONNECT, not " + packet.type());
                }
            }
            case AUTHENTICATING -> {
                if (packet instanceof Auth a) {
                    onAuth(a);
                } else {
                    release(packet);
                    protocolError(packet.type() + " during authentication (section 4.12: only AUTH may come before CONNACK)");
                }
            }
            case ATTACHING -> {
                if (waiting == null) {
                    waiting = new ArrayList<>();
                }
                waiting.add(packet);
            }
            case CONNECTED -> onConnected(packet);
            case ENDED -> release(packet);
        }
    }

    private void onConnected(MqttPacket packet) {
        if (packet instanceof Publish p) {
            onPublish(p);
        } else if (packet instanceof Puback a) {
            session.acknowledged(a.packetId());
        } else if (packet instanceof Pubrec r) {
            if (session.received(r.packetId(), r.reasonCode().isError())) {
                sendPubrel(r.packetId());
            }
        } else if (packet instanceof Pubrel r) {
            int id = r.packetId();
            boolean known = session.awaitingRelease.remove(id);
            boolean recorded = known && session.isPersistent();
            if (recorded) {
                broker.store().removeAwaitingRelease(clientId, id);
            }
            // PUBCOMP lets the client use the id again: the store must have forgotten it by then, or a new message
            // under the id would be taken for a re-send after a restart, and dropped
            ReasonCode reason = known || version != MqttVersion.V5 ? ReasonCode.SUCCESS
                    : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
            if (!recorded && acksWaiting == 0) {
                conn.send(new Pubcomp(id, reason, Properties.EMPTY));
            } else {
                acknowledgeWhenDurable(recorded, () -> conn.send(new Pubcomp(id, reason, Properties.EMPTY)));
            }
        } else if (packet instanceof Pubcomp c) {
            session.completed(c.packetId());
        } else if (packet instanceof Subscribe sub) {
            onSubscribe(sub);
        } else if (packet instanceof Unsubscribe u) {
            onUnsubscribe(u);
        } else if (packet instanceof Pingreq) {
            conn.send(Pingresp.INSTANCE);
        } else if (packet instanceof Disconnect d) {
            onDisconnect(d);
        } else if (packet instanceof Auth a) {
            onAuth(a);
        } else if (packet instanceof Connect) {
            protocolError("a second CONNECT on one connection (MQTT-3.1.0-2)");
        } else {
            protocolError("a client does not send " + packet.type());
        }
    }

    private static void release(MqttPacket packet) {
        if (packet instanceof Publish p) {
            ReferenceCountUtil.release(p.payload());
        }
    }

    // ---- CONNECT ----

    private void onConnect(Connect c) {
        version = c.version();
        handshake = new Handshake(broker.options(), c, conn.transportIdentity(), conn.remoteAddress());
        clientId = handshake.clientId();
        if (handshake.refusal() != null) {
            refuse(handshake.refusal(), handshake.refusalDetail());
            return;
        }
        will = c.will();
        identity = new ClientIdentity(clientId, c.username(), conn.transportIdentity());
        String method = handshake.authenticationMethod();
        if (method != null) {
            var auth = broker.options().enhancedAuthenticator();
            if (auth == null || !auth.methods().contains(method)) {
                refuse(ReasonCode.BAD_AUTHENTICATION_METHOD, "authentication method " + method + " is not served");
                return;
            }
            enhanced = new Enhanced(method, auth.begin(method, handshake.request()));
            onAuthStep(enhanced.exchange().step(handshake.authenticationData()), true);
            return;
        }
        if (c.username() == null && !broker.options().allowAnonymous()) {
            refuse(ReasonCode.NOT_AUTHORIZED, "anonymous clients are not allowed");
            return;
        }
        ReasonCode refused = broker.options().authenticator().authenticate(handshake.request());
        if (refused != null && refused.isError()) { // SUCCESS is no refusal: its CONNACK would say accepted
            refuse(refused, "refused by the authenticator");
            return;
        }
        accept(null);
    }

    private void refuse(ReasonCode reason, String detail) {
        conn.handshakeRefused(clientId, reason);
        conn.close(handshake.connack(false, reason, null), new ConnectionEnd(reason, false, false, detail, null));
    }

    private void accept(Properties authProperties) {
        move(Phase.ATTACHING);
        conn.setReading(false);
        pendingAuthProperties = authProperties; // before open: a new session's attached() runs within it
        broker.sessions().open(clientId, handshake.connect().cleanStart(), this, identity, this::attached);
    }


    /** The session is ours (on this loop): CONNACK, then what the session has in flight and queued. */
    private void attached(Session s, boolean sessionPresent) {
        if (phase == Phase.ENDED) {
            // the connection died while the session was being opened: leave the session as a disconnect would
            s.attach(this, identity, handshake.sessionExpiry(), version.level());
            s.detach(this, will, handshake.willDelay());
            return;
        }
        if (s.loop() != loop()) {
            // a later connection of this client took the session while this one waited for it
            conn.close(null, new ConnectionEnd(ReasonCode.SESSION_TAKEN_OVER, false, false,
                    "another connection took over the session before this one was accepted", null));
            return;
        }
        session = s;
        move(Phase.CONNECTED);
        broker.stats().clientConnected();
        aliases = new TopicAliases(version == MqttVersion.V5 ? broker.options().maxTopicAlias() : 0,
                handshake.clientTopicAliasMaximum());
        conn.send(handshake.connack(sessionPresent, ReasonCode.SUCCESS, pendingAuthProperties));
        pendingAuthProperties = null;
        conn.handshakeSucceeded(version, clientId, handshake.keepAlive());
        s.attach(this, identity, handshake.sessionExpiry(), version.level());
        conn.setReading(true);
        List<MqttPacket> early = waiting;
        waiting = null;
        if (early != null) {
            for (MqttPacket p : early) {
                packet(p);
            }
        }
    }

    // ---- enhanced authentication ----

    /** One enhanced-authentication method and its exchange in progress. */
    private record Enhanced(String method, AuthExchange exchange) {
    }

    private void onAuth(Auth a) {
        if (version != MqttVersion.V5) {
            protocolError("AUTH exists only in MQTT 5.0");
            return;
        }
        String method = a.properties().string(PropertyId.AUTHENTICATION_METHOD).orElse(null);
        if (enhanced == null || !enhanced.method().equals(method)) {
            // MQTT-4.12.0-5/-7: the method must be the one of CONNECT; without one there is no AUTH
            protocolError("AUTH with authentication method " + method + " on a connection that used "
                    + (enhanced == null ? "none" : enhanced.method()));
            return;
        }
        var data = a.properties().binary(PropertyId.AUTHENTICATION_DATA).orElse(null);
        if (phase == Phase.AUTHENTICATING) {
            if (a.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION) {
                protocolError("AUTH " + a.reasonCode() + " while authenticating; expected 0x18");
                return;
            }
            onAuthStep(enhanced.exchange().step(data), true);
        } else if (a.reasonCode() == ReasonCode.RE_AUTHENTICATE) {
            enhanced = new Enhanced(enhanced.method(), broker.options().enhancedAuthenticator()
                    .begin(enhanced.method(), handshake.request()));
            onAuthStep(enhanced.exchange().step(data), false);
        } else if (a.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION) {
            onAuthStep(enhanced.exchange().step(data), false);
        } else {
            protocolError("a client does not send AUTH " + a.reasonCode());
        }
    }

    private void onAuthStep(AuthStep step, boolean connecting) {
        if (step instanceof AuthStep.Continue c) {
            if (connecting && phase == Phase.AWAITING_CONNECT) {
                move(Phase.AUTHENTICATING);
            }
            conn.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, authProperties(c.challenge())));
        } else if (step instanceof AuthStep.Success ok) {
            if (connecting) {
                accept(authProperties(ok.data()));
            } else {
                conn.send(new Auth(ReasonCode.SUCCESS, authProperties(ok.data())));
            }
        } else {
            ReasonCode reason = ((AuthStep.Failure) step).reasonCode();
            if (connecting) {
                refuse(reason, "enhanced authentication failed");
            } else {
                closeWith(reason, "re-authentication failed");
            }
        }
    }

    private Properties authProperties(zzq.codec.property.BinaryData data) {
        Properties.Builder b = Properties.builder().add(PropertyId.AUTHENTICATION_METHOD, enhanced.method());
        if (data != null) {
            b.add(PropertyId.AUTHENTICATION_DATA, data);
        }
        return b.build();
    }

    // ---- PUBLISH in ----

    private void onPublish(Publish p) {
        try {
            publish(p);
        } finally {
            p.payload().release();
        }
    }

    private void publish(Publish p) {
        broker.beginPublish();
        String topic = p.topic();
        Properties props = p.properties();
        if (version == MqttVersion.V5 && !props.isEmpty()) {
            if (props.contains(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
                protocolError("a client's PUBLISH must not carry a Subscription Identifier (MQTT-3.3.4-6)");
                return;
            }
            if (props.contains(PropertyId.TOPIC_ALIAS)) {
                int alias = (int) props.integerOr(PropertyId.TOPIC_ALIAS, 0);
                if (!aliases.isValidInbound(alias)) {
                    closeWith(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " is outside 1.."
                            + broker.options().maxTopicAlias() + " (MQTT-3.3.2-9)");
                    return;
                }
                if (topic.isEmpty()) {
                    topic = aliases.resolve(alias);
                    if (topic == null) {
                        protocolError("topic alias " + alias + " was never defined (section 3.3.2.3.4)");
                        return;
                    }
                } else {
                    aliases.define(alias, topic);
                }
            }
        }
        QoS qos = p.qos();
        int id = p.packetId();
        if (qos == QoS.EXACTLY_ONCE) {
            if (session.awaitingRelease.contains(id)) {
                // a re-send: never delivered twice (section 4.3.3)
                acknowledgePublish(qos, id, ReasonCode.SUCCESS, false);
                return;
            }
            if (session.awaitingRelease.size() >= broker.options().maxInflightMessages()) {
                closeWith(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more than " + broker.options().maxInflightMessages()
                        + " QoS 2 messages unreleased (MQTT-3.3.4-9)");
                return;
            }
        }
        if (topic.startsWith("$SYS") || !broker.options().authorizer().canPublish(identity, topic)) {
            acknowledgePublish(qos, id, ReasonCode.NOT_AUTHORIZED, false);
            return;
        }
        if (props.integerOr(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0) == 1 && !isUtf8(p)) {
            acknowledgePublish(qos, id, ReasonCode.PAYLOAD_FORMAT_INVALID, false);
            return;
        }
        long expiry = props.integerOr(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
        Properties forwarded = props.isEmpty() || !(props.contains(PropertyId.TOPIC_ALIAS)
                || expiry >= 0) ? props : props.toBuilder().remove(PropertyId.TOPIC_ALIAS)
                .remove(PropertyId.MESSAGE_EXPIRY_INTERVAL).build();
        Message m = new Message(topic, qos, p.retain(), forwarded, p.payload(),
                expiry < 0 ? 0 : BrokerRouting.expiresAt(System.nanoTime(), expiry), clientId);
        int delivered;
        boolean recorded;
        if (qos == QoS.EXACTLY_ONCE && session.isPersistent()) {
            // the deliveries' records and the packet identifier's, as one (see Persistence.atomically)
            int[] routed = new int[1];
            broker.store().atomically(() -> {
                routed[0] = retainAndRoute(p.retain(), m);
                broker.store().addAwaitingRelease(clientId, id);
            });
            delivered = routed[0];
            recorded = true;
        } else {
            delivered = retainAndRoute(p.retain(), m);
            recorded = broker.recordedOnThisThread();
        }
        if (qos == QoS.EXACTLY_ONCE) {
            session.awaitingRelease.add(id);
        }
        ReasonCode reason = delivered == 0 ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
        acknowledgePublish(qos, id, reason, recorded);
    }

    /** Retains (if asked) and routes an accepted message; returns the number of deliveries. */
    private int retainAndRoute(boolean retain, Message m) {
        if (retain) {
            broker.retain(m);
        }
        return broker.route(m, this);
    }

    /** {@link #acknowledge} through {@link #acknowledgeWhenDurable}, without allocating when nothing waits. */
    private void acknowledgePublish(QoS qos, int id, ReasonCode reason, boolean recorded) {
        if (!recorded && acksWaiting == 0) {
            acknowledge(qos, id, reason);
        } else {
            acknowledgeWhenDurable(recorded, () -> acknowledge(qos, id, reason));
        }
    }

    /**
     * Runs {@code send} (an acknowledgement) now, or, when it acknowledges something recorded with the durable
     * backend, or an earlier acknowledgement still waits, once the backend says everything recorded so far is
     * durable: nothing is acknowledged before it would survive a crash, and acknowledgements keep their order
     * (MQTT-4.6.0-2, -3).
     */
    private void acknowledgeWhenDurable(boolean recorded, Runnable send) {
        if (!recorded && acksWaiting == 0) {
            send.run();
            return;
        }
        acksWaiting++;
        broker.store().whenDurable(() -> loop().execute(() -> {
            acksWaiting--;
            if (phase == Phase.CONNECTED) {
                send.run();
            }
        }));
    }

    private static boolean isUtf8(Publish p) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(p.payload().nioBuffer());
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** PUBACK or PUBREC; in 3.1.1, which has no reason codes, a refusal looks like success (as in Mosquitto). */
    private void acknowledge(QoS qos, int id, ReasonCode reason) {
        ReasonCode rc = version == MqttVersion.V5 ? reason : ReasonCode.SUCCESS;
        if (qos == QoS.AT_LEAST_ONCE) {
            conn.send(new Puback(id, rc, Properties.EMPTY));
        } else if (qos == QoS.EXACTLY_ONCE) {
            conn.send(new Pubrec(id, rc, Properties.EMPTY));
        }
    }

    // ---- pushing back ----

    /** A subscriber of this publisher's message is over its queue limit: stop reading until it drains. */
    void pauseFor(Session subscriber) {
        if (subscriber == session || phase != Phase.CONNECTED || !pausedBy.add(subscriber)) {
            return; // never wait on oneself: one's own acknowledgements arrive on this very socket
        }
        if (pausedBy.size() == 1) {
            conn.setReading(false);
            broker.stats().publisherPaused();
            pauseValve = loop().schedule(this::resumeAll, MAX_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
        subscriber.pausePublisher(this);
    }

    /** From any thread: the subscriber drained (or left). */
    void resumeAfter(Session subscriber) {
        loop().execute(() -> {
            if (pausedBy.remove(subscriber) && pausedBy.isEmpty()) {
                resumeAll();
            }
        });
    }

    private void resumeAll() {
        pausedBy.clear();
        if (pauseValve != null) {
            pauseValve.cancel(false);
            pauseValve = null;
        }
        if (phase == Phase.CONNECTED) {
            conn.setReading(true);
        }
    }

    // ---- PUBLISH out ----

    int clientReceiveMaximum() {
        return handshake.clientReceiveMaximum();
    }

    boolean isWritable() {
        return conn.isWritable();
    }

    /**
     * Writes a message to the client: 5.0 properties (remaining expiry, Subscription Identifiers, a Topic Alias)
     * added. Returns false, counting a drop, when the packet exceeds the client's Maximum Packet Size
     * (MQTT-3.1.2-25: such a message is discarded for this client alone).
     */
    boolean sendPublish(Outgoing o, boolean dup) {
        Message m = o.message;
        String topic = m.topic();
        Properties props = m.properties();
        int newAlias = 0;
        if (version == MqttVersion.V5) {
            boolean expires = m.expires();
            int alias = aliases.outboundAlias(topic);
            if (alias == 0) {
                alias = newAlias = aliases.assign(topic);
            } else {
                topic = "";
            }
            if (expires || o.subscriptionIds != null || alias != 0) {
                Properties.Builder b = props.toBuilder();
                if (expires) {
                    b.set(PropertyId.MESSAGE_EXPIRY_INTERVAL, m.remainingSeconds(System.nanoTime()));
                }
                if (o.subscriptionIds != null) {
                    for (int id : o.subscriptionIds) {
                        b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
                    }
                }
                if (alias != 0) {
                    b.set(PropertyId.TOPIC_ALIAS, alias);
                }
                props = b.build();
            }
        }
        Publish out = new Publish(topic, o.qos, o.retain, dup && o.qos != QoS.AT_MOST_ONCE, o.packetId, props,
                m.payload());
        long max = handshake.clientMaximumPacketSize();
        if (max < Integer.MAX_VALUE && MqttEncoder.encodedLength(out, version) > max) {
            if (newAlias != 0) {
                aliases.unassign(m.topic());
            }
            broker.stats().dropped();
            return false;
        }
        conn.send(out);
        return true;
    }

    void sendPubrel(int packetId) {
        conn.send(new Pubrel(packetId));
    }

    @Override
    public void writabilityChanged(boolean writable) {
        if (writable && session != null && phase == Phase.CONNECTED) {
            session.drain();
        }
    }

    // ---- SUBSCRIBE, UNSUBSCRIBE ----

    private void onSubscribe(Subscribe s) {
        int subscriptionId = (int) s.properties().integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER, 0);
        List<ReasonCode> codes = new ArrayList<>(s.subscriptions().size());
        List<Subscription> retainedFor = null;
        for (Subscription sub : s.subscriptions()) {
            String filter = sub.filter();
            boolean shared = Topics.isShared(filter);
            if (shared && sub.options().noLocal()) {
                protocolError("No Local on a shared subscription (MQTT-3.8.3-4)");
                return;
            }
            String inner = shared ? filter.substring(filter.indexOf('/', Topics.SHARE_PREFIX.length()) + 1)
                    : filter;
            if (!broker.options().authorizer().canSubscribe(identity, inner)) {
                codes.add(ReasonCode.NOT_AUTHORIZED);
                continue;
            }
            boolean existed = broker.topics().subscribe(session, filter, sub.options(), subscriptionId);
            codes.add(ReasonCode.granted(sub.options().qos()));
            RetainHandling rh = sub.options().retainHandling();
            if (!shared && (rh == RetainHandling.SEND_ON_SUBSCRIBE
                    || rh == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && !existed)) {
                if (retainedFor == null) {
                    retainedFor = new ArrayList<>();
                }
                retainedFor.add(sub);
            }
        }
        session.subscriptionsChanged();
        List<Subscription> retained = retainedFor;
        // the SUBACK once the subscription is durable; the retained messages after it, as ever
        acknowledgeWhenDurable(session.isPersistent(), () -> {
            conn.send(new Suback(s.packetId(), codes, Properties.EMPTY));
            if (retained != null) {
                for (Subscription sub : retained) {
                    broker.sendRetained(session, sub.filter(), sub.options().qos(), subscriptionId);
                }
            }
        });
    }

    private void onUnsubscribe(Unsubscribe u) {
        List<ReasonCode> codes = new ArrayList<>(u.filters().size());
        for (String filter : u.filters()) {
            codes.add(broker.topics().unsubscribe(session, filter) ? ReasonCode.SUCCESS
                    : ReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        session.subscriptionsChanged();
        acknowledgeWhenDurable(session.isPersistent(), () -> conn.send(version == MqttVersion.V5
                ? new Unsuback(u.packetId(), codes, Properties.EMPTY) : new Unsuback(u.packetId())));
    }

    // ---- DISCONNECT and the end ----

    private void onDisconnect(Disconnect d) {
        if (version == MqttVersion.V5 && d.properties().contains(PropertyId.SESSION_EXPIRY_INTERVAL)) {
            long requested = d.properties().integerOr(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
            if (handshake.requestedSessionExpiry() == 0 && requested != 0) {
                protocolError("DISCONNECT sets a Session Expiry Interval after CONNECT set 0 (MQTT-3.14.2-2)");
                return;
            }
            session.expiryInterval(Math.min(requested, broker.options().maxSessionExpirySeconds()));
        }
        if (d.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE) {
            will = null; // MQTT-3.1.2-10 (5.0: any reason but 0x04 discards the will)
        }
        conn.close(null, new ConnectionEnd(d.reasonCode(), true, false, "DISCONNECT from the client", null));
    }

    /** Another connection takes this client's session: DISCONNECT 0x8E (MQTT-3.1.4-3). */
    void takenOver() {
        closeWith(ReasonCode.SESSION_TAKEN_OVER, "another connection took over the session");
    }

    /** Ends the connection for a protocol error: 5.0 clients get DISCONNECT 0x82 with the reason. */
    private void protocolError(String detail) {
        closeWith(ReasonCode.PROTOCOL_ERROR, detail);
    }

    /** Ends the connection; a 5.0 client gets a DISCONNECT with this reason (and the detail, if it asked). */
    void closeWith(ReasonCode reason, String detail) {
        Disconnect last = null;
        if (version == MqttVersion.V5 && phase != Phase.AWAITING_CONNECT && reason.isAllowedIn(
                zzq.codec.PacketType.DISCONNECT)) {
            last = new Disconnect(reason, handshake != null && handshake.requestProblemInformation()
                    ? Properties.builder().add(PropertyId.REASON_STRING, detail).build() : Properties.EMPTY);
        }
        conn.close(last, new ConnectionEnd(reason, false, false, detail, null));
    }

    @Override
    public void ended(ConnectionEnd end) {
        Phase was = phase;
        phase = Phase.ENDED;
        if (waiting != null) {
            waiting.forEach(ClientConnection::release);
            waiting = null;
        }
        if (pauseValve != null) {
            pauseValve.cancel(false);
        }
        if (was == Phase.CONNECTED) {
            broker.stats().clientDisconnected();
            session.detach(this, will, handshake.willDelay());
        }
        // ATTACHING: attached() sees ENDED and leaves the session the same way
    }

    @Override
    public String toString() {
        return "client " + clientId + " on " + conn;
    }
}
