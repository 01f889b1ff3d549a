package zzq.engine.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.Connection;
import zzq.api.spi.ConnectionEnd;
import zzq.api.spi.PacketHandler;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.Topics;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;

/**
 * One connection of a client: what lasts only as long as it does. That is the broker's limits from its CONNACK,
 * the topic aliases both ways (MQTT-3.3.2-7: they never outlive a connection), and the pings. The session
 * ({@link ClientCore}) gets every packet but PINGRESP, and the end. Confined to the client's event loop.
 */
final class Link implements PacketHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    /**
     * QoS 1 and 2 publishes in flight at once in 3.1.1, which has no Receive Maximum: brokers still have a window
     * (Mosquitto's max_inflight_messages, 20 by default), and past it Mosquitto acknowledges a 3.1.1 client's
     * publish and drops it, since 3.1.1 cannot say "quota exceeded".
     */
    static final int V3_IN_FLIGHT = 20;

    /** What the session does with a link's packets and its end. */
    interface Session {
        void packet(Link link, MqttPacket packet);

        void ended(Link link, ConnectionEnd end);
    }

    final Connection connection;
    /** The connect attempt this link belongs to. */
    final long attempt;
    final Endpoint endpoint;
    private final Session session;
    private final MqttVersion version;
    private final int topicAliasMaximum;
    private final EventLoop loop;
    // the broker's limits, from CONNACK (5.0); 3.1.1 has none to say
    int sendQuota = 65_535;
    int maxPacketSize = MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE;
    private QoS maximumQos = QoS.EXACTLY_ONCE;
    private boolean retainAvailable = true;
    private boolean wildcardsAvailable = true;
    private boolean subscriptionIdsAvailable = true;
    private boolean sharedAvailable = true;
    private OutgoingTopicAliases aliasesOut = new OutgoingTopicAliases(0);
    private final Map<Integer, String> aliasesIn = new HashMap<>();
    private long lastReadNanos = System.nanoTime();
    private long lastWriteNanos = System.nanoTime();
    private boolean pingOutstanding;
    /** Whether reading is paused because the application holds Receive Maximum unacknowledged messages. */
    private boolean readingPaused;
    private boolean overrunReported;
    private ScheduledFuture<?> pingTimer;
    private boolean closed;

    /**
     * @param topicAliasMaximum the client's own Topic Alias Maximum: the highest alias the broker may use
     */
    Link(Connection connection, long attempt, Endpoint endpoint, Session session, MqttVersion version,
         int topicAliasMaximum) {
        this.connection = connection;
        this.attempt = attempt;
        this.endpoint = endpoint;
        this.session = session;
        this.version = version;
        this.topicAliasMaximum = topicAliasMaximum;
        this.loop = (EventLoop) connection.executor();
    }

    void send(MqttPacket packet) {
        if (!closed) {
            lastWriteNanos = System.nanoTime();
            connection.send(packet);
        }
    }

    /** Ends the connection, writing {@code last} first (null for none); {@link #ended} follows. */
    void close(MqttPacket last, ConnectionEnd end) {
        closed = true;
        cancelPings();
        connection.close(last, end);
    }

    /**
     * Stops or resumes reading from the broker: TCP then pushes back on a broker that sends far more than the
     * client's Receive Maximum (see {@code Inbound.pace}).
     */
    void reading(boolean on) {
        if (readingPaused == !on) {
            return;
        }
        readingPaused = !on;
        connection.setReading(on);
    }

    /** Logs, once per connection, that the broker sent more than the client's Receive Maximum. */
    void overrun(int receiveMaximum) {
        if (!overrunReported && version.isV5()) {
            overrunReported = true;
            LOG.warn("the broker at {} sent more than the client's Receive Maximum of {} unacknowledged QoS 1/2 "
                    + "messages (MQTT-3.3.4-9); taking them (reading pauses at twice the limit)", endpoint,
                    receiveMaximum);
        }
    }

    /** Ends the connection for a broker's protocol error: 5.0 says why with a DISCONNECT. */
    void protocolError(ReasonCode reason, String detail) {
        LOG.warn("closing the connection to {}: {}", endpoint, detail);
        close(version.isV5() ? new Disconnect(reason) : null, new ConnectionEnd(reason, false, false, detail, null));
    }

    /** Takes the broker's limits from its CONNACK. */
    void limits(Properties p) {
        sendQuota = (int) p.integerOr(PropertyId.RECEIVE_MAXIMUM, version.isV5() ? 65_535 : V3_IN_FLIGHT);
        maxPacketSize = (int) Math.min(Integer.MAX_VALUE,
                p.integerOr(PropertyId.MAXIMUM_PACKET_SIZE, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE));
        maximumQos = QoS.of((int) p.integerOr(PropertyId.MAXIMUM_QOS, 2));
        retainAvailable = p.integerOr(PropertyId.RETAIN_AVAILABLE, 1) == 1;
        aliasesOut = new OutgoingTopicAliases((int) p.integerOr(PropertyId.TOPIC_ALIAS_MAXIMUM, 0));
        wildcardsAvailable = p.integerOr(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1;
        subscriptionIdsAvailable = p.integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1;
        sharedAvailable = p.integerOr(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1;
    }

    /**
     * The refusal a filter gets without asking, when CONNACK said the broker lacks what it needs (sending it would
     * be a protocol error that costs the connection), or {@code null}.
     */
    ReasonCode refusal(String filter, int subscriptionIdentifier) {
        if (subscriptionIdentifier > 0 && !subscriptionIdsAvailable && version.isV5()) {
            return ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED;
        }
        if (!sharedAvailable && Topics.isShared(filter)) {
            return ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        if (!wildcardsAvailable && (filter.indexOf('#') >= 0 || filter.indexOf('+') >= 0)) {
            return ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        return null;
    }

    /** Whether the broker takes Subscription Identifiers (5.0, and not refused in CONNACK). */
    boolean subscriptionIdsAvailable() {
        return version.isV5() && subscriptionIdsAvailable;
    }

    /** The reason the broker's limits forbid this message (0x9B, 0x9A), or {@code null}. */
    ReasonCode refusal(ApplicationMessage m) {
        if (m.qos().value() > maximumQos.value()) {
            return ReasonCode.QOS_NOT_SUPPORTED;
        }
        return m.retain() && !retainAvailable ? ReasonCode.RETAIN_NOT_SUPPORTED : null;
    }

    /** The words for {@link #refusal(ApplicationMessage)}. */
    String refusalText(ApplicationMessage m) {
        return m.qos().value() > maximumQos.value()
                ? "the broker's Maximum QoS is " + maximumQos.value() + ": cannot publish at QoS " + m.qos().value()
                : "the broker does not support retained messages";
    }

    /**
     * The PUBLISH for a message, with a topic alias when the broker allows them; {@code null} when it is larger
     * than the broker's Maximum Packet Size.
     */
    Publish publishPacket(ApplicationMessage m, int packetId, boolean dup, ByteBuf payload) {
        Publish full = new Publish(m.topic(), m.qos(), m.retain(), dup, packetId, m.properties(), payload);
        int length = MqttEncoder.encodedLength(full, version);
        if (length > maxPacketSize) {
            return null;
        }
        // a Topic Alias adds 3 bytes and may lengthen both length fields by one: use one only with room for it
        int alias = version.isV5() && length + 5 <= maxPacketSize ? aliasesOut.aliasFor(m.topic()) : 0;
        if (alias == 0) {
            return full;
        }
        Properties props = m.properties().toBuilder().add(PropertyId.TOPIC_ALIAS, Math.abs(alias)).build();
        // a known alias stands for the topic; a new one is sent with it (section 3.3.2.3.4)
        return new Publish(alias > 0 ? "" : m.topic(), m.qos(), m.retain(), dup, packetId, props, payload);
    }

    /**
     * The topic of a received PUBLISH, through the broker's topic alias if it used one.
     *
     * @throws IllegalArgumentException for an alias above the client's maximum, or one never set (0x94)
     */
    String resolveAlias(Publish p) {
        long alias = p.properties().integerOr(PropertyId.TOPIC_ALIAS, 0);
        if (alias == 0) {
            return p.topic();
        }
        if (alias > topicAliasMaximum) {
            throw new IllegalArgumentException("topic alias " + alias + " is above the client's Topic Alias Maximum "
                    + topicAliasMaximum);
        }
        if (p.topic().isEmpty()) {
            String topic = aliasesIn.get((int) alias);
            if (topic == null) {
                throw new IllegalArgumentException("topic alias " + alias + " was never set");
            }
            return topic;
        }
        aliasesIn.put((int) alias, p.topic());
        return p.topic();
    }

    /**
     * Pings every half keep alive of silence either way. Pinging on read silence too keeps a client that only
     * publishes from looking dead to the engine's check, which closes a link after 1.5 keep alives without a read.
     */
    void startPinging(int keepAliveSeconds) {
        if (keepAliveSeconds <= 0) {
            return;
        }
        long half = TimeUnit.SECONDS.toNanos(keepAliveSeconds) / 2;
        pingTimer = loop.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            if (!closed && !pingOutstanding && (now - lastWriteNanos >= half || now - lastReadNanos >= half)) {
                pingOutstanding = true;
                send(Pingreq.INSTANCE);
            }
        }, half, half, TimeUnit.NANOSECONDS);
    }

    private void cancelPings() {
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
    }

    @Override
    public void packet(MqttPacket packet) {
        if (closed) {
            if (packet instanceof Publish p) {
                p.payload().release();
            }
            return;
        }
        lastReadNanos = System.nanoTime();
        if (packet.type() == PacketType.PINGRESP) {
            pingOutstanding = false;
            return;
        }
        session.packet(this, packet);
    }

    @Override
    public void ended(ConnectionEnd end) {
        closed = true;
        cancelPings();
        session.ended(this, end);
    }
}
