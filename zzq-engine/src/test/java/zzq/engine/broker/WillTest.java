package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.RawClient;

/** Will messages (MQTT 5.0 section 3.1.2.5, 3.1.3.2): when they go out and when they do not. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WillTest extends BrokerTestBase {
    private RawClient watcher;
    private RawClient marker;

    private static Will will(boolean retain, long delay) {
        Properties p = delay == 0 ? Properties.EMPTY
                : prop(PropertyId.WILL_DELAY_INTERVAL, delay);
        return new Will("w/t", BinaryData.of("gone".getBytes(StandardCharsets.UTF_8)), QoS.AT_LEAST_ONCE, retain, p);
    }

    private RawClient willClient(MqttVersion v, Will w, boolean clean, Properties props) throws Exception {
        return client(connectPacket(v, "w", clean, props, w));
    }

    private void watch() throws Exception {
        watcher = client(MqttVersion.V5, "watcher");
        subscribe(watcher, 1, "w/t", QoS.AT_LEAST_ONCE);
        marker = client(MqttVersion.V3_1_1, "marker");
    }

    /** After the will client's end has run: publishes a marker, so "no will" means the marker comes first. */
    private void expectNoWillBeforeMarker(long connected) throws Exception {
        awaitConnected(connected);
        marker.send(publish("w/t", "marker", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        assertEquals("marker", receive(watcher).payload(), "no will before the marker");
    }

    private void expectWill() throws Exception {
        Msg m = receive(watcher);
        assertEquals("w/t", m.topic());
        assertEquals("gone", m.payload());
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("the connection closes without DISCONNECT → the will is published (MQTT-3.1.2-8)")
    void abruptCloseSendsWill(MqttVersion v) throws Exception {
        start();
        watch();
        willClient(v, will(false, 0), true, Properties.EMPTY).close();
        expectWill();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("DISCONNECT 0x00 → the will is discarded (MQTT-3.1.2-10, 3.1.1 MQTT-3.1.2-10)")
    void normalDisconnectDiscardsWill(MqttVersion v) throws Exception {
        start();
        watch();
        RawClient w = willClient(v, will(false, 0), true, Properties.EMPTY);
        disconnect(w);
        expectNoWillBeforeMarker(2);
        expectNothing(watcher);
    }

    @Test
    @DisplayName("5.0 DISCONNECT 0x04 Disconnect with Will Message → the will is published (3.14.2.1)")
    void disconnectWithWillSendsWill() throws Exception {
        start();
        watch();
        RawClient w = willClient(MqttVersion.V5, will(false, 0), true, Properties.EMPTY);
        w.send(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));
        assertClosed(w);
        expectWill();
    }

    @Test
    @DisplayName("Will Delay 2 s, persistent session resumed within it → no will (MQTT-3.1.3-9)")
    void resumedWithinWillDelayCancelsWill() throws Exception {
        start();
        watch();
        willClient(MqttVersion.V5, will(false, 2), false, expiry(300)).close();
        awaitConnected(2);
        client(MqttVersion.V5, "w", false, expiry(300));
        assertTrue(lastConnack.sessionPresent());
        // the delay passes with no will; 3 s covers the 2 s delay
        assertEquals(null, watcher.poll(Duration.ofSeconds(3)), "no will after resuming");
    }

    @Test
    @DisplayName("Will Delay 2 s without resume → the will goes after the delay, not at once (3.1.3.2.2)")
    void willDelayDefersWill() throws Exception {
        start();
        watch();
        willClient(MqttVersion.V5, will(false, 2), false, expiry(300)).close();
        expectNoWillBeforeMarker(2);
        expectWill();
    }

    @Test
    @DisplayName("a will with RETAIN=1 is stored as the retained message (MQTT-3.1.2-17)")
    void retainedWill() throws Exception {
        start();
        willClient(MqttVersion.V3_1_1, will(true, 0), true, Properties.EMPTY).close();
        awaitConnected(0); // its end has run, and with it the will
        RawClient late = subscriber(MqttVersion.V3_1_1, "late", "w/t", QoS.AT_LEAST_ONCE);
        Msg m = receive(late);
        assertEquals("gone", m.payload());
        assertTrue(m.retain());
    }

    @Test
    @DisplayName("session takeover: the old connection gets DISCONNECT 0x8E (MQTT-3.1.4-3) and its will goes out")
    void takeoverSendsDisconnectAndWill() throws Exception {
        start();
        watch();
        RawClient old = willClient(MqttVersion.V5, will(false, 0), true, Properties.EMPTY);
        client(MqttVersion.V5, "w");
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, old.expect(Disconnect.class).reasonCode());
        assertClosed(old);
        expectWill();
    }

    @Test
    @DisplayName("session takeover resuming the session within the Will Delay → no will (MQTT-3.1.3-9)")
    void takeoverWithDelayAndResumeNoWill() throws Exception {
        start();
        watch();
        RawClient old = willClient(MqttVersion.V5, will(false, 2), false, expiry(300));
        client(MqttVersion.V5, "w", false, expiry(300));
        assertTrue(lastConnack.sessionPresent());
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, old.expect(Disconnect.class).reasonCode());
        assertClosed(old);
        expectNoWillBeforeMarker(3);
        // the delay passes with no will; 3 s covers the 2 s delay
        assertEquals(null, watcher.poll(Duration.ofSeconds(3)), "no will after resuming");
    }

    @Test
    @DisplayName("Will Delay longer than the Session Expiry → the will goes when the session ends (3.1.3.2.2)")
    void sessionEndBeforeWillDelaySendsWill() throws Exception {
        start();
        watch();
        willClient(MqttVersion.V5, will(false, 60), false, expiry(2)).close();
        expectNoWillBeforeMarker(2);
        expectWill();
        await("the will client's session to end", () -> broker.statistics().clientsTotal() == 2);
    }
}
