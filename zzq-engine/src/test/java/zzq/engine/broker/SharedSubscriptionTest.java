package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.engine.RawClient;

/** 5.0 shared subscriptions (MQTT 5.0 section 4.8.2): each message to one member of the group. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedSubscriptionTest extends BrokerTestBase {
    private static final int N = 40;

    /** Reads QoS 1 messages from a member (acknowledging them) until it is quiet. */
    private static List<String> drain(RawClient c) throws Exception {
        List<String> got = new ArrayList<>();
        MqttPacket p;
        while ((p = c.poll(QUIET)) != null) {
            if (p instanceof Publish pub) {
                Msg m = Msg.of(pub);
                got.add(m.payload());
                c.send(new Puback(m.packetId()));
            }
        }
        return got;
    }

    private static void publishN(RawClient p, int from) throws Exception {
        for (int i = from; i < from + N; i++) {
            p.send(publish("s/t", "m" + i, QoS.AT_LEAST_ONCE, 1 + i % 60_000, false, Properties.EMPTY));
            p.expect(Puback.class);
        }
    }

    @Test
    @DisplayName("two members: SUBACK grants the QoS; each message goes to exactly one member, none lost (4.8.2)")
    void eachMessageToExactlyOneMember() throws Exception {
        start();
        RawClient a = client(MqttVersion.V5, "a");
        RawClient b = client(MqttVersion.V5, "b");
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), subscribe(a, 1, "$share/g/s/t", QoS.AT_LEAST_ONCE)
                .reasonCodes());
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), subscribe(b, 1, "$share/g/s/t", QoS.AT_LEAST_ONCE)
                .reasonCodes());
        publishN(client(MqttVersion.V5, "p"), 0);
        List<String> all = new ArrayList<>(drain(a));
        all.addAll(drain(b));
        assertEquals(N, all.size(), "no message twice: " + all);
        Set<String> distinct = new HashSet<>(all);
        assertEquals(N, distinct.size(), "every message once");
    }

    @Test
    @DisplayName("a disconnected member gets nothing while another member is connected (4.8.2)")
    void disconnectedMemberSkipped() throws Exception {
        start();
        RawClient a = subscriber(MqttVersion.V5, "a", "$share/g/s/t", QoS.AT_LEAST_ONCE);
        RawClient b = subscriber(MqttVersion.V5, "b", true, expiry(300), "$share/g/s/t", QoS.AT_LEAST_ONCE);
        disconnect(b);
        awaitConnected(1);
        publishN(client(MqttVersion.V5, "p"), 0);
        assertEquals(N, drain(a).size());
        RawClient bAgain = client(MqttVersion.V5, "b", false, expiry(300));
        assertTrue(lastConnack.sessionPresent());
        assertTrue(bAgain.poll(Duration.ofMillis(300)) == null, "nothing was queued for the absent member");
    }

    @Test
    @DisplayName("retained messages are not sent on a shared subscription (4.8.2)")
    void noRetainedOnShared() throws Exception {
        start();
        RawClient p = client(MqttVersion.V5, "p");
        publishAcked(p, "s/t", "kept", 1, true, Properties.EMPTY);
        RawClient a = subscriber(MqttVersion.V5, "a", "$share/g/s/t", QoS.AT_LEAST_ONCE);
        expectNothing(a);
    }

    @Test
    @DisplayName("with no member connected, a member's session keeps the message for its return (4.8.2)")
    void offlineOnlyMemberKeepsMessage() throws Exception {
        start();
        RawClient b = subscriber(MqttVersion.V5, "b", true, expiry(300), "$share/g/s/t", QoS.AT_LEAST_ONCE);
        disconnect(b);
        awaitConnected(0);
        RawClient p = client(MqttVersion.V5, "p");
        publishAcked(p, "s/t", "kept", 1, false, Properties.EMPTY);
        RawClient back = client(MqttVersion.V5, "b", false, expiry(300));
        assertEquals("kept", receive(back).payload());
    }
}
