package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.spi.StoredSession;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

/**
 * Persistent sessions through the persistence SPI, against a durable backend in maps that outlives each broker: what
 * a restart must keep (subscriptions with their options and identifiers, queued and in-flight messages both ways,
 * unreleased QoS 2 ids, wills waiting for their delay), expiry counted across the downtime, and acknowledgements
 * held until the store says the message is durable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionPersistenceTest extends BrokerTestBase {
    private final MapPersistence store = new MapPersistence();
    private final BrokerOptions options = BrokerOptions.builder().persistence(store).sysInterval(Duration.ZERO)
            .build();

    /** Closes the broker (gracefully, as a restart does) and starts a new one on the same store. */
    private void restart() throws IOException {
        stopBroker();
        start(options);
    }

    private RawClient persistent(MqttVersion v, String id) throws IOException {
        return client(v, id, false, v == MqttVersion.V5 ? expiry(3600) : Properties.EMPTY);
    }

    @Test
    void queuedMessagesAndSubscriptionsSurviveARestart() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V5, "sub");
        subscribe(sub, 1, new Subscription("a/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 42));
        disconnect(sub);
        RawClient pub = client(MqttVersion.V5, "pub");
        for (int i = 1; i <= 3; i++) {
            publishAcked(pub, "a/" + i, "m" + i, i, false, Properties.EMPTY);
        }
        assertEquals(3, store.deliveries("sub").size());

        restart();
        RawClient back = persistent(MqttVersion.V5, "sub");
        assertTrue(lastConnack.sessionPresent());
        for (int i = 1; i <= 3; i++) {
            Msg m = receive(back);
            assertEquals("m" + i, m.payload());
            assertEquals(QoS.AT_LEAST_ONCE, m.qos());
            assertEquals(42L, m.properties().integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER, 0));
            back.send(new Puback(m.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        }
        // the subscription itself came back, with its identifier
        RawClient pub2 = client(MqttVersion.V5, "pub2");
        publishAcked(pub2, "a/x", "after", 1, false, Properties.EMPTY);
        Msg m = receive(back);
        assertEquals("after", m.payload());
        assertEquals(42L, m.properties().integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER, 0));
        back.send(new Puback(m.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        await("acknowledged deliveries leave the store", () -> store.deliveries("sub").isEmpty());
    }

    @Test
    void outboundQos2InFlightKeepsItsPacketIdAndPhase() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V3_1_1, "sub");
        subscribe(sub, 1, "q2/#", QoS.EXACTLY_ONCE);
        RawClient pub = client(MqttVersion.V3_1_1, "pub");
        pub.send(publish("q2/a", "first", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        pub.expect(Pubrec.class);
        pub.send(new Pubrel(1));
        pub.expect(Pubcomp.class);
        pub.send(publish("q2/b", "second", QoS.EXACTLY_ONCE, 2, false, Properties.EMPTY));
        pub.expect(Pubrec.class);
        pub.send(new Pubrel(2));
        pub.expect(Pubcomp.class);
        Msg first = receive(sub);
        Msg second = receive(sub);
        sub.send(new Pubrec(first.packetId())); // first: released, PUBCOMP outstanding; second: not even PUBREC
        sub.expect(Pubrel.class);
        await("the PUBREC is recorded", () -> store.deliveries("sub").get(0).released());

        restart();
        RawClient back = persistent(MqttVersion.V3_1_1, "sub");
        assertTrue(lastConnack.sessionPresent());
        Pubrel again = back.expect(Pubrel.class);
        assertEquals(first.packetId(), again.packetId());
        Msg resent = receive(back);
        assertEquals("second", resent.payload());
        assertEquals(second.packetId(), resent.packetId(), "re-sent with its original packet id (MQTT-4.4.0-1)");
        assertTrue(resent.dup());
        back.send(new Pubcomp(first.packetId()));
        back.send(new Pubrec(resent.packetId()));
        back.expect(Pubrel.class);
        back.send(new Pubcomp(resent.packetId()));
        expectNothing(back);
        await("completed deliveries leave the store", () -> store.deliveries("sub").isEmpty());
    }

    @Test
    void inboundQos2AwaitingReleaseIsNotDeliveredTwiceAfterARestart() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V3_1_1, "sub");
        subscribe(sub, 1, "in/#", QoS.AT_LEAST_ONCE);
        RawClient pub = persistent(MqttVersion.V3_1_1, "pub");
        pub.send(publish("in/x", "once", QoS.EXACTLY_ONCE, 7, false, Properties.EMPTY));
        pub.expect(Pubrec.class);
        Msg got = receive(sub);
        sub.send(new Puback(got.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
        assertEquals(java.util.Set.of(7), store.awaitingRelease.get("pub"));

        restart();
        RawClient subBack = persistent(MqttVersion.V3_1_1, "sub");
        RawClient pubBack = persistent(MqttVersion.V3_1_1, "pub");
        Publish dup = new Publish("in/x", QoS.EXACTLY_ONCE, false, true, 7, Properties.EMPTY,
                io.netty.buffer.Unpooled.copiedBuffer("once", java.nio.charset.StandardCharsets.UTF_8));
        pubBack.send(dup);
        assertEquals(7, pubBack.expect(Pubrec.class).packetId());
        pubBack.send(new Pubrel(7));
        assertEquals(7, pubBack.expect(Pubcomp.class).packetId());
        expectNothing(subBack); // already delivered before the restart
        await("the release is recorded", () -> store.awaitingRelease.get("pub").isEmpty());
    }

    @Test
    void acknowledgementsWaitUntilTheStoreIsDurableAndKeepTheirOrder() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V5, "sub");
        subscribe(sub, 1, "d/#", QoS.AT_LEAST_ONCE);
        RawClient pub = client(MqttVersion.V5, "pub");
        store.hold();
        pub.send(publish("d/1", "kept", QoS.AT_LEAST_ONCE, 1, false, Properties.EMPTY));
        await("the delivery is recorded", () -> store.heldCount() == 1);
        // nobody subscribes to 'other': nothing to record, yet its PUBACK queues behind the first (MQTT-4.6.0-2)
        pub.send(publish("other", "free", QoS.AT_LEAST_ONCE, 2, false, Properties.EMPTY));
        await("the second acknowledgement queues", () -> store.heldCount() == 2);
        assertNull(pub.poll(QUIET), "no PUBACK before the message is durable");
        store.release();
        assertEquals(1, pub.expect(Puback.class).packetId());
        Puback second = pub.expect(Puback.class);
        assertEquals(2, second.packetId());
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, second.reasonCode());
    }

    @Test
    void nothingIsRecordedForCleanSessionsOrQos0() throws IOException {
        start(options);
        RawClient clean = subscriber(MqttVersion.V5, "clean", "c/#", QoS.AT_LEAST_ONCE);
        RawClient q0 = persistent(MqttVersion.V5, "q0");
        subscribe(q0, 1, "c/#", QoS.AT_MOST_ONCE);
        RawClient pub = client(MqttVersion.V5, "pub");
        publishAcked(pub, "c/1", "x", 1, false, Properties.EMPTY);
        receive(clean);
        receive(q0);
        assertFalse(store.sessions.containsKey("clean"));
        assertFalse(store.sessions.containsKey("pub"));
        assertTrue(store.sessions.containsKey("q0"));
        assertTrue(store.deliveries("q0").isEmpty());
    }

    @Test
    void expiryCountsTheDowntime() throws IOException {
        start(options);
        RawClient shortLived = client(MqttVersion.V5, "short", false, expiry(60));
        subscribe(shortLived, 1, "e/#", QoS.AT_LEAST_ONCE);
        disconnect(shortLived);
        RawClient longLived = client(MqttVersion.V5, "long", false, expiry(3600));
        subscribe(longLived, 1, "e/#", QoS.AT_LEAST_ONCE);
        disconnect(longLived);
        stopBroker();
        // as if the broker had been down for ten minutes
        for (String id : List.of("short", "long")) {
            StoredSession s = store.sessions.get(id);
            store.sessions.put(id, new StoredSession(s.clientId(), s.protocolLevel(), s.expiryIntervalSeconds(),
                    s.disconnectedAtMillis() - 600_000, s.subscriptions(), s.awaitingRelease(), s.will(),
                    s.username(), s.transportIdentity()));
        }
        start(options);
        assertFalse(store.sessions.containsKey("short"), "expired during the downtime: purged at start");
        client(MqttVersion.V5, "short", false, expiry(60));
        assertFalse(lastConnack.sessionPresent());
        client(MqttVersion.V5, "long", false, expiry(3600));
        assertTrue(lastConnack.sessionPresent());
    }

    @Test
    void aWillWaitingForItsDelayIsPublishedAfterARestart() throws IOException {
        start(options);
        RawClient watcher = persistent(MqttVersion.V5, "watcher");
        subscribe(watcher, 1, "wills/#", QoS.AT_LEAST_ONCE);
        Will will = new Will("wills/dev", BinaryData.of("gone".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                QoS.AT_LEAST_ONCE, false, prop(PropertyId.WILL_DELAY_INTERVAL, 3600));
        RawClient dev = client(connectPacket(MqttVersion.V5, "dev", false, expiry(7200), will));
        dev.close(); // no DISCONNECT: the will is due in an hour
        await("the pending will is recorded", () -> store.sessions.containsKey("dev")
                && store.sessions.get("dev").will() != null);
        stopBroker();
        StoredSession s = store.sessions.get("dev");
        store.sessions.put("dev", new StoredSession(s.clientId(), s.protocolLevel(), s.expiryIntervalSeconds(),
                s.disconnectedAtMillis(), s.subscriptions(), s.awaitingRelease(),
                new zzq.api.spi.StoredWill(s.will().message(), System.currentTimeMillis() - 1000), s.username(),
                s.transportIdentity()));
        start(options);
        RawClient back = persistent(MqttVersion.V5, "watcher");
        Msg m = receive(back);
        assertEquals("wills/dev", m.topic());
        assertEquals("gone", m.payload());
        await("the published will leaves the record", () -> store.sessions.get("dev").will() == null);
    }

    @Test
    void aCleanStartRemovesTheStoredSession() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V5, "sub");
        subscribe(sub, 1, "x/#", QoS.AT_LEAST_ONCE);
        disconnect(sub);
        assertTrue(store.sessions.containsKey("sub"));
        RawClient clean = client(MqttVersion.V5, "sub", true, Properties.EMPTY);
        await("the old session's record goes", () -> !store.sessions.containsKey("sub"));
        disconnect(clean);
        restart();
        Connack ack = connectRaw(open(MqttVersion.V5), connectPacket(MqttVersion.V5, "sub", false, expiry(60),
                null));
        assertFalse(ack.sessionPresent());
    }

    @Test
    void qos2GoesToAPersistentSubscriberOnlyOnceItsPacketIdIsDurable() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V5, "sub");
        subscribe(sub, 1, "x/#", QoS.EXACTLY_ONCE);
        RawClient pub = persistent(MqttVersion.V5, "pub");
        store.hold();
        pub.send(publish("x/1", "two", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        // the publisher's PUBREC and the subscriber's PUBLISH both wait for the store
        await("both wait", () -> store.heldCount() == 2);
        expectNothing(sub);
        assertNull(pub.poll(QUIET), "no PUBREC before the store is durable");
        store.release();
        assertEquals(1, pub.expect(Pubrec.class).packetId());
        Msg m = receive(sub);
        assertEquals("two", m.payload());
        assertEquals(m.packetId(), store.deliveries("sub").get(0).packetId(), "sent under the recorded id");

        // and PUBREL (to the subscriber) and PUBCOMP (to the publisher) wait for their records too
        store.hold();
        sub.send(new Pubrec(m.packetId()));
        pub.send(new Pubrel(1));
        await("both wait", () -> store.heldCount() == 2);
        expectNothing(sub);
        assertNull(pub.poll(QUIET), "no PUBCOMP before the release is durable");
        store.release();
        assertEquals(m.packetId(), sub.expect(Pubrel.class).packetId());
        assertEquals(1, pub.expect(Pubcomp.class).packetId());
    }

    @Test
    void aReconnectDoesNotSendAQos2RecordBeforeItIsDurable() throws IOException {
        start(options);
        RawClient sub = persistent(MqttVersion.V5, "sub");
        subscribe(sub, 1, "r/#", QoS.EXACTLY_ONCE);
        RawClient pub = client(MqttVersion.V5, "pub");
        store.hold();
        pub.send(publish("r/1", "held", QoS.EXACTLY_ONCE, 1, false, Properties.EMPTY));
        await("the packet id's record waits", () -> store.heldCount() >= 1);
        sub.close(); // gone before the store is durable; back at once
        RawClient back = persistent(MqttVersion.V5, "sub");
        assertTrue(lastConnack.sessionPresent());
        expectNothing(back); // not even the re-send of a resumed session
        store.release();
        Msg m = receive(back);
        assertEquals("held", m.payload());
        assertFalse(m.dup(), "never on the wire before");

        store.hold();
        back.send(new Pubrec(m.packetId()));
        await("the PUBREC's record waits", () -> store.heldCount() >= 1);
        back.close();
        RawClient again = persistent(MqttVersion.V5, "sub");
        expectNothing(again); // no PUBREL before "released" is durable
        store.release();
        assertEquals(m.packetId(), again.expect(Pubrel.class).packetId());
        again.send(new Pubcomp(m.packetId()));
        await("completed", () -> store.deliveries("sub").isEmpty());
    }
}
