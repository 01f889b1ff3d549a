package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Will;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Clients;
import zzq.engine.RawClient;

/**
 * Shared fixture of the broker protocol tests: a broker on an ephemeral loopback port, raw clients closed after each
 * test, and the few exchanges every test repeats (CONNECT/CONNACK, SUBSCRIBE/SUBACK, receiving a PUBLISH as a copied
 * {@link Msg} with its payload released).
 */
abstract class BrokerTestBase {
    /** How long "nothing arrives" is watched for. */
    static final Duration QUIET = Duration.ofMillis(300);

    Broker broker;
    Endpoint endpoint;
    private final List<RawClient> clients = new ArrayList<>();

    /** A received PUBLISH, copied so that its payload could be released at once. */
    record Msg(String topic, QoS qos, boolean retain, boolean dup, int packetId, Properties properties,
               String payload) {
        static Msg of(Publish p) {
            try {
                return new Msg(p.topic(), p.qos(), p.retain(), p.dup(), p.packetId(), p.properties(),
                        p.payload().toString(StandardCharsets.UTF_8));
            } finally {
                p.payload().release();
            }
        }
    }

    void start() {
        start(BrokerOptions.DEFAULTS);
    }

    void start(BrokerOptions options) {
        broker = Broker.start(options);
        endpoint = broker.bind("mqtt://127.0.0.1:0");
    }

    @AfterEach
    void stopBroker() throws IOException {
        for (RawClient c : clients) {
            c.close();
        }
        clients.clear();
        if (broker != null) {
            broker.close();
        }
    }

    RawClient open(MqttVersion version) throws IOException {
        RawClient c = new RawClient(endpoint, version);
        clients.add(c);
        return c;
    }

    static Connect connectPacket(MqttVersion v, String id, boolean clean, Properties props, Will will) {
        return new Connect(v, id, clean, 30, null, null, will, props);
    }

    /** Opens a connection and sends CONNECT; returns the CONNACK. */
    Connack connectRaw(RawClient c, Connect connect) throws IOException {
        c.send(connect);
        return c.expect(Connack.class);
    }

    /** A connected client (asserts CONNACK success); its CONNACK is kept in {@link #lastConnack}. */
    RawClient client(Connect connect) throws IOException {
        RawClient c = open(connect.version());
        lastConnack = connectRaw(c, connect);
        assertEquals(ReasonCode.SUCCESS, lastConnack.reasonCode(), "CONNACK of " + connect.clientId());
        return c;
    }

    Connack lastConnack;

    RawClient client(MqttVersion v, String id) throws IOException {
        return client(connectPacket(v, id, true, Properties.EMPTY, null));
    }

    RawClient client(MqttVersion v, String id, boolean clean, Properties props) throws IOException {
        return client(connectPacket(v, id, clean, props, null));
    }

    /** A client subscribed to one filter (the SUBACK read). */
    RawClient subscriber(MqttVersion v, String id, String filter, QoS qos) throws IOException {
        return subscriber(v, id, true, Properties.EMPTY, filter, qos);
    }

    RawClient subscriber(MqttVersion v, String id, boolean clean, Properties props, String filter, QoS qos)
            throws IOException {
        RawClient c = client(v, id, clean, props);
        subscribe(c, 1, filter, qos);
        return c;
    }

    /** Sends DISCONNECT 0x00 and waits for the broker to close the connection. */
    static void disconnect(RawClient c) throws IOException {
        c.send(Disconnect.NORMAL);
        assertClosed(c);
    }

    /** Properties holding one integer property. */
    static Properties prop(PropertyId id, long value) {
        return Properties.builder().add(id, value).build();
    }

    static Properties expiry(long seconds) {
        return prop(PropertyId.SESSION_EXPIRY_INTERVAL, seconds);
    }

    static Suback subscribe(RawClient c, int packetId, String filter, QoS qos) throws IOException {
        return subscribe(c, packetId, new Subscription(filter, SubscriptionOptions.of(qos)), Properties.EMPTY);
    }

    static Suback subscribe(RawClient c, int packetId, Subscription s, Properties props) throws IOException {
        c.send(new Subscribe(packetId, List.of(s), props));
        Suback ack = c.expect(Suback.class);
        assertEquals(packetId, ack.packetId());
        return ack;
    }

    static Publish publish(String topic, String payload, QoS qos, int packetId, boolean retain, Properties props) {
        return new Publish(topic, qos, retain, false, packetId, props,
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    /** Publishes at QoS 1 and reads the PUBACK (whatever its reason code). */
    static Puback publishAcked(RawClient c, String topic, String payload, int packetId, boolean retain,
                               Properties props) throws IOException {
        c.send(publish(topic, payload, QoS.AT_LEAST_ONCE, packetId, retain, props));
        Puback ack = c.expect(Puback.class);
        assertEquals(packetId, ack.packetId());
        return ack;
    }

    /** The next packet, which must be a PUBLISH. */
    static Msg receive(RawClient c) throws IOException {
        return Msg.of(c.expect(Publish.class));
    }

    /** Asserts that no packet arrives within {@link #QUIET}. */
    static void expectNothing(RawClient c) throws IOException {
        MqttPacket p = c.poll(QUIET);
        if (p instanceof Publish pub) {
            Msg m = Msg.of(pub);
            throw new AssertionError("unexpected " + m);
        }
        assertNull(p, "unexpected packet");
    }

    /** Waits (bounded, 10 s) for a condition, polling: the shared {@link Clients#awaitTrue}. */
    static void await(String what, BooleanSupplier condition) {
        Clients.awaitTrue(condition, Duration.ofSeconds(10), what);
    }

    /** Waits until the broker counts this many connected clients (a closed connection's end has run). */
    void awaitConnected(long n) throws InterruptedException {
        await(n + " clients connected", () -> broker.statistics().clientsConnected() == n);
    }

    static void assertClosed(RawClient c) throws IOException {
        assertTrue(c.awaitClosed(Duration.ofSeconds(5)), "the broker closes the connection");
    }
}
