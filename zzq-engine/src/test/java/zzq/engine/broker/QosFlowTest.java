package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.RawClient;

/** QoS 1 and 2 flows, both directions, with re-sends across reconnects (MQTT 5.0 sections 4.3, 4.4). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QosFlowTest extends BrokerTestBase {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 1 PUBLISH → PUBACK with its packet id; 5.0 says 0x10 when nobody subscribes (MQTT-4.3.2-4)")
    void qos1Puback(MqttVersion v) throws Exception {
        start();
        RawClient p = client(v, "p");
        p.send(publish("a", "x", QoS.AT_LEAST_ONCE, 11, false, Properties.EMPTY));
        Puback ack = p.expect(Puback.class);
        assertEquals(11, ack.packetId());
        assertEquals(v == MqttVersion.V5 ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS, ack.reasonCode());
        RawClient s = subscriber(v, "s", "a", QoS.AT_LEAST_ONCE);
        p.send(publish("a", "x", QoS.AT_LEAST_ONCE, 12, false, Properties.EMPTY));
        ack = p.expect(Puback.class);
        assertEquals(12, ack.packetId());
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        Msg m = receive(s);
        assertEquals(QoS.AT_LEAST_ONCE, m.qos());
        assertTrue(m.packetId() != 0);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("QoS 2 both ways: PUBLISH→PUBREC, PUBREL→PUBCOMP in; PUBLISH, PUBREC→PUBREL, PUBCOMP out (MQTT-4.3.3-*)")
    void qos2BothDirections(MqttVersion v) throws Exception {
        start();
        RawClient s = subscriber(v, "s", "q2", QoS.EXACTLY_ONCE);
        RawClient p = client(v, "p");
        p.send(publish("q2", "x", QoS.EXACTLY_ONCE, 21, false, Properties.EMPTY));
        Pubrec rec = p.expect(Pubrec.class);
        assertEquals(21, rec.packetId());
        assertEquals(ReasonCode.SUCCESS, rec.reasonCode());
        p.send(new Pubrel(21));
        Pubcomp comp = p.expect(Pubcomp.class);
        assertEquals(21, comp.packetId());
        assertEquals(ReasonCode.SUCCESS, comp.reasonCode());

        Msg m = receive(s);
        assertEquals(QoS.EXACTLY_ONCE, m.qos());
        s.send(new Pubrec(m.packetId()));
        Pubrel rel = s.expect(Pubrel.class);
        assertEquals(m.packetId(), rel.packetId());
        s.send(new Pubcomp(m.packetId()));
        expectNothing(s);
    }

    @Test
    @DisplayName("a QoS 2 PUBLISH re-sent with DUP before PUBREL is delivered once (MQTT-4.3.3-10, 3.1.1 MQTT-4.3.3-2)")
    void qos2DuplicateNotDeliveredTwice() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", "q2", QoS.EXACTLY_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("q2", "once", QoS.EXACTLY_ONCE, 5, false, Properties.EMPTY));
        assertEquals(5, p.expect(Pubrec.class).packetId());
        p.send(publish("q2", "once", QoS.EXACTLY_ONCE, 5, false, Properties.EMPTY).withDelivery(5, true));
        assertEquals(5, p.expect(Pubrec.class).packetId());
        p.send(new Pubrel(5));
        assertEquals(5, p.expect(Pubcomp.class).packetId());
        assertEquals("once", receive(s).payload());
        expectNothing(s);
    }

    @Test
    @DisplayName("delivered at the lower of published QoS and granted QoS (MQTT-3.8.4-8)")
    void downgradedToSubscriptionQos() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", "d", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("d", "x", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        p.expect(Pubrec.class);
        assertEquals(QoS.AT_LEAST_ONCE, receive(s).qos());
        p.send(publish("d", "y", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        Msg m = receive(s);
        assertEquals(QoS.AT_MOST_ONCE, m.qos());
        assertEquals(0, m.packetId());
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("an unacknowledged QoS 1 message is re-sent with DUP=1 and its packet id on resume (MQTT-4.4.0-1, -3.3.1-1)")
    void unackedQos1ResentWithDup(MqttVersion v) throws Exception {
        start();
        Properties persistent = v == MqttVersion.V5 ? expiry(300) : Properties.EMPTY;
        RawClient s = subscriber(v, "s", false, persistent, "r", QoS.AT_LEAST_ONCE);
        RawClient p = client(v, "p");
        publishAcked(p, "r", "again", 1, false, Properties.EMPTY);
        Msg first = receive(s);
        assertEquals(false, first.dup());
        s.close(); // no PUBACK
        RawClient back = client(v, "s", false, persistent);
        assertTrue(lastConnack.sessionPresent());
        Msg again = receive(back);
        assertTrue(again.dup(), "DUP set on the re-send");
        assertEquals(first.packetId(), again.packetId());
        assertEquals("again", again.payload());
        back.send(new Puback(again.packetId()));
        expectNothing(back);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("PUBREC received but no PUBCOMP: PUBREL re-sent on resume (MQTT-4.4.0-1)")
    void pubrelResentOnResume(MqttVersion v) throws Exception {
        start();
        Properties persistent = v == MqttVersion.V5 ? expiry(300) : Properties.EMPTY;
        RawClient s = subscriber(v, "s", false, persistent, "r", QoS.EXACTLY_ONCE);
        RawClient p = client(v, "p");
        p.send(publish("r", "x", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        p.expect(Pubrec.class);
        Msg m = receive(s);
        s.send(new Pubrec(m.packetId()));
        assertEquals(m.packetId(), s.expect(Pubrel.class).packetId());
        s.close(); // no PUBCOMP
        RawClient back = client(v, "s", false, persistent);
        assertTrue(lastConnack.sessionPresent());
        assertEquals(m.packetId(), back.expect(Pubrel.class).packetId());
        back.send(new Pubcomp(m.packetId()));
        expectNothing(back);
    }

    @Test
    @DisplayName("overlapping subscriptions: one message at the highest QoS with both Subscription Identifiers (3.3.4, MQTT-3.3.4-3)")
    void overlappingSubscriptions() throws Exception {
        start();
        RawClient s = client(MqttVersion.V5, "s");
        subscribe(s, 1, new Subscription("o/+", SubscriptionOptions.of(QoS.AT_MOST_ONCE)),
                prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 7));
        subscribe(s, 2, new Subscription("o/#", SubscriptionOptions.of(QoS.EXACTLY_ONCE)),
                prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 9));
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("o/x", "x", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        Msg m = receive(s);
        assertEquals(QoS.EXACTLY_ONCE, m.qos());
        assertEquals(Set.of(7, 9), Set.copyOf(m.properties().subscriptionIdentifiers()));
        assertEquals(2, m.properties().subscriptionIdentifiers().size());
        expectNothing(s);
    }

    @Test
    @DisplayName("3.1.1 overlapping subscriptions give one message at the highest QoS (MQTT-3.3.5-1 allows one)")
    void overlappingSubscriptionsV311() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V3_1_1, "s", "o/+", QoS.AT_LEAST_ONCE);
        subscribe(s, 2, "o/#", QoS.AT_MOST_ONCE);
        RawClient p = client(MqttVersion.V3_1_1, "p");
        p.send(publish("o/x", "x", QoS.AT_LEAST_ONCE, 1, false, Properties.EMPTY));
        assertEquals(QoS.AT_LEAST_ONCE, receive(s).qos());
        expectNothing(s);
    }

    @Test
    @DisplayName("a QoS 2 PUBLISH re-sent with DUP after the publisher resumed its session is not delivered twice (MQTT-4.3.3-10, -4.4.0-1)")
    void qos2ResentAfterResumeNotDeliveredTwice() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", "q2", QoS.EXACTLY_ONCE);
        RawClient p = client(MqttVersion.V5, "p", false, expiry(300));
        p.send(publish("q2", "once", QoS.EXACTLY_ONCE, 9, false, Properties.EMPTY));
        assertEquals(9, p.expect(Pubrec.class).packetId());
        p.close(); // before PUBREL
        RawClient again = client(MqttVersion.V5, "p", false, expiry(300));
        assertTrue(lastConnack.sessionPresent());
        again.send(publish("q2", "once", QoS.EXACTLY_ONCE, 9, false, Properties.EMPTY).withDelivery(9, true));
        assertEquals(9, again.expect(Pubrec.class).packetId());
        again.send(new Pubrel(9));
        Pubcomp comp = again.expect(Pubcomp.class);
        assertEquals(ReasonCode.SUCCESS, comp.reasonCode());
        Msg m = receive(s);
        assertEquals("once", m.payload());
        s.send(new Pubrec(m.packetId()));
        s.expect(Pubrel.class);
        s.send(new Pubcomp(m.packetId()));
        expectNothing(s);
    }

    @Test
    @DisplayName("5.0 PUBREL for an unknown packet id → PUBCOMP 0x92 Packet Identifier not found (3.7.2.1)")
    void pubrelUnknownId() throws Exception {
        start();
        RawClient p = client(MqttVersion.V5, "p");
        p.send(new Pubrel(77));
        Pubcomp comp = p.expect(Pubcomp.class);
        assertEquals(77, comp.packetId());
        assertEquals(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, comp.reasonCode());
    }

    @Test
    @DisplayName("5.0 PUBREC with a failure code ends the QoS 2 flow: no PUBREL, the window slot is freed (4.3.3, 3.5.2.1)")
    void pubrecFailureEndsFlow() throws Exception {
        start();
        RawClient s = client(MqttVersion.V5, "s", true, prop(PropertyId.RECEIVE_MAXIMUM, 1));
        subscribe(s, 1, "q2", QoS.EXACTLY_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("q2", "a", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        p.send(publish("q2", "b", QoS.EXACTLY_ONCE, 2, false, Properties.EMPTY));
        Msg a = receive(s);
        assertEquals("a", a.payload());
        s.send(new Pubrec(a.packetId(), ReasonCode.UNSPECIFIED_ERROR, Properties.EMPTY));
        Msg b = receive(s); // not a PUBREL: the next message, in the freed slot
        assertEquals("b", b.payload());
    }
}
