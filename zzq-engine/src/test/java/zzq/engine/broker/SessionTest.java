package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Disconnect;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.RawClient;

/** Session state across connections: Clean Session / Clean Start, Session Present, Session Expiry, client ids. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionTest extends BrokerTestBase {

    /** A persistent session: 3.1.1 clean=false; 5.0 clean start false with a long expiry. */
    private static Properties persistent(MqttVersion v) {
        return v == MqttVersion.V5 ? expiry(300) : Properties.EMPTY;
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("clean start discards the old session: Session Present 0, subscriptions gone (MQTT-3.1.2-4, -3.2.2-2)")
    void cleanStartDiscardsSession(MqttVersion v) throws Exception {
        start();
        RawClient s = subscriber(v, "s", false, persistent(v), "c/t", QoS.AT_LEAST_ONCE);
        disconnect(s);
        RawClient again = client(v, "s", true, Properties.EMPTY);
        assertFalse(lastConnack.sessionPresent());
        RawClient pub = client(MqttVersion.V3_1_1, "p");
        pub.send(publish("c/t", "x", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        expectNothing(again);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("resume: Session Present 1, subscriptions kept, QoS 1 and 2 queued while offline delivered (MQTT-3.1.2-5, -3.2.2-3)")
    void resumeKeepsSubscriptionsAndQueue(MqttVersion v) throws Exception {
        start();
        RawClient s = client(v, "s", false, persistent(v));
        assertFalse(lastConnack.sessionPresent());
        subscribe(s, 1, "q/#", QoS.EXACTLY_ONCE);
        disconnect(s);
        awaitConnected(0);
        RawClient pub = client(MqttVersion.V3_1_1, "p");
        // QoS 0 first: the acknowledgements of what follows show it was routed before the session resumes
        pub.send(publish("q/0", "zero", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        pub.send(publish("q/1", "one", QoS.AT_LEAST_ONCE, 1, false, Properties.EMPTY));
        pub.expect(zzq.codec.packet.Puback.class);
        pub.send(publish("q/2", "two", QoS.EXACTLY_ONCE, 2, false, Properties.EMPTY));
        pub.expect(zzq.codec.packet.Pubrec.class);
        RawClient back = client(v, "s", false, persistent(v));
        assertTrue(lastConnack.sessionPresent());
        Msg one = receive(back);
        assertEquals("q/1", one.topic());
        assertEquals(QoS.AT_LEAST_ONCE, one.qos());
        Msg two = receive(back);
        assertEquals("q/2", two.topic());
        assertEquals(QoS.EXACTLY_ONCE, two.qos());
        // QoS 0 messages need not be queued (MQTT 5.0 section 3.1.2.4); zzq does not
        expectNothing(back);
    }

    @Test
    @DisplayName("5.0 Session Expiry Interval 0: the session ends with the connection (3.1.2.11.2)")
    void expiryZeroDiscardsAtDisconnect() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", false, expiry(0), "e/t", QoS.AT_LEAST_ONCE);
        disconnect(s);
        client(MqttVersion.V5, "s", false, expiry(0));
        assertFalse(lastConnack.sessionPresent());
    }

    @Test
    @DisplayName("5.0 Session Expiry Interval 2 s: resumed within it → present; after it → not (MQTT-3.1.2-23)")
    void expiryTwoSeconds() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", false, expiry(2), "e/t", QoS.AT_LEAST_ONCE);
        disconnect(s);
        RawClient again = client(MqttVersion.V5, "s", false, expiry(2));
        assertTrue(lastConnack.sessionPresent(), "resumed within the expiry");
        disconnect(again);
        long closedAt = System.nanoTime();
        await("the session to expire", () -> broker.statistics().clientsTotal() == 0);
        assertTrue(System.nanoTime() - closedAt >= 1_500_000_000L, "expired no earlier than its interval");
        client(MqttVersion.V5, "s", false, expiry(2));
        assertFalse(lastConnack.sessionPresent(), "expired");
    }

    @Test
    @DisplayName("DISCONNECT setting a Session Expiry after CONNECT set 0 → DISCONNECT 0x82 (MQTT-3.14.2-2)")
    void disconnectCannotSetExpiryAfterZero() throws Exception {
        start();
        RawClient s = client(MqttVersion.V5, "s", true, Properties.EMPTY);
        s.send(new Disconnect(ReasonCode.NORMAL_DISCONNECTION, expiry(60)));
        Disconnect d = s.expect(Disconnect.class);
        assertEquals(ReasonCode.PROTOCOL_ERROR, d.reasonCode());
        assertClosed(s);
    }

    @Test
    @DisplayName("5.0 empty client id → assigned, in CONNACK's Assigned Client Identifier (MQTT-3.1.3-6, -7)")
    void v5EmptyClientIdAssigned() throws Exception {
        start();
        client(MqttVersion.V5, "", true, Properties.EMPTY);
        String id = lastConnack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).orElseThrow();
        assertFalse(id.isEmpty());
    }

    @Test
    @DisplayName("3.1.1 empty client id with clean session 0 → CONNACK return code 2 (MQTT-3.1.3-8)")
    void v311EmptyIdNeedsCleanSession() throws Exception {
        start();
        RawClient c = open(MqttVersion.V3_1_1);
        Connack ack = connectRaw(c, connectPacket(MqttVersion.V3_1_1, "", false, Properties.EMPTY, null));
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reasonCode());
        assertEquals(2, ack.reasonCode().toV3ConnackCode());
        assertFalse(ack.sessionPresent());
        assertClosed(c);
    }

    @Test
    @DisplayName("3.1 client id of more than 23 characters → CONNACK return code 2 (MQTT 3.1 section 3.1)")
    void v31LongClientIdRefused() throws Exception {
        start();
        RawClient c = open(MqttVersion.V3_1);
        Connack ack = connectRaw(c, connectPacket(MqttVersion.V3_1, "x".repeat(24), true, Properties.EMPTY, null));
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reasonCode());
        assertClosed(c);
        client(MqttVersion.V3_1, "x".repeat(23));
    }

    @Test
    @DisplayName("3.1.1: a second connection with the same client id closes the first (MQTT-3.1.4-2)")
    void v311TakeoverClosesOldConnection() throws Exception {
        start();
        RawClient first = client(MqttVersion.V3_1_1, "same");
        RawClient second = client(MqttVersion.V3_1_1, "same");
        assertClosed(first);
        second.send(zzq.codec.packet.Pingreq.INSTANCE);
        second.expect(zzq.codec.packet.Pingresp.class);
    }

    @Test
    @DisplayName("DISCONNECT setting Session Expiry 0 ends a persistent session at once (3.14.2.2.2)")
    void disconnectSetsExpiryZero() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", false, expiry(300), "e/t", QoS.AT_LEAST_ONCE);
        s.send(new Disconnect(ReasonCode.NORMAL_DISCONNECTION, expiry(0)));
        assertClosed(s);
        client(MqttVersion.V5, "s", false, expiry(300));
        assertFalse(lastConnack.sessionPresent());
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("resuming a session that ends with its taken-over connection: the new session is held, so a third connection takes it over (MQTT-3.1.4-2, -3)")
    void sessionEndedByTakeoverStillRegistered(MqttVersion v) throws Exception {
        start();
        client(v, "same", true, Properties.EMPTY); // expiry 0: its session ends when its connection does
        RawClient second = client(v, "same", false, Properties.EMPTY);
        assertFalse(lastConnack.sessionPresent());
        subscribe(second, 1, "t/t", QoS.AT_LEAST_ONCE);
        client(v, "same", true, Properties.EMPTY);
        if (v == MqttVersion.V5) {
            assertEquals(ReasonCode.SESSION_TAKEN_OVER, second.expect(Disconnect.class).reasonCode());
        }
        assertClosed(second);
    }

    @Test
    @DisplayName("5.0 CONNACK tells a Session Expiry capped by the broker, and a Server Keep Alive (3.2.2.3.2, MQTT-3.2.2-21)")
    void connackTellsChangedGrants() throws Exception {
        start(zzq.engine.BrokerOptions.builder().maxSessionExpirySeconds(10).maxKeepAlive(20).build());
        client(MqttVersion.V5, "s", true, expiry(300)); // keep alive 30 asked
        assertEquals(10, lastConnack.properties().integerOr(PropertyId.SESSION_EXPIRY_INTERVAL, -1));
        assertEquals(20, lastConnack.properties().integerOr(PropertyId.SERVER_KEEP_ALIVE, -1));
        client(MqttVersion.V5, "t", true, expiry(5));
        assertFalse(lastConnack.properties().contains(PropertyId.SESSION_EXPIRY_INTERVAL), "unchanged: not sent");
    }
}
