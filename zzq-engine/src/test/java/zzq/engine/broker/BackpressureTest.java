package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

/** Bounded memory: per-session queue limits, and publishers paused (at most 500 ms at a time) by slow subscribers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackpressureTest extends BrokerTestBase {

    @Test
    @DisplayName("maxQueuedMessages(10): an offline session keeps 10 QoS 1 messages; the rest are counted as dropped")
    void offlineQueueBounded() throws Exception {
        start(BrokerOptions.builder().maxQueuedMessages(10).sysInterval(Duration.ZERO).build());
        RawClient s = subscriber(MqttVersion.V3_1_1, "s", false, Properties.EMPTY, "b/t", QoS.AT_LEAST_ONCE);
        disconnect(s);
        awaitConnected(0);
        RawClient p = client(MqttVersion.V3_1_1, "p");
        for (int i = 1; i <= 25; i++) {
            p.send(publish("b/t", "m" + i, QoS.AT_LEAST_ONCE, i, false, Properties.EMPTY));
            assertEquals(i, p.expect(Puback.class).packetId());
        }
        await("15 drops counted", () -> broker.statistics().publishDropped() == 15);
        RawClient back = client(MqttVersion.V3_1_1, "s", false, Properties.EMPTY);
        for (int i = 1; i <= 10; i++) {
            Msg m = receive(back);
            assertEquals("m" + i, m.payload(), "the first 10, in order");
            back.send(new Puback(m.packetId()));
        }
        expectNothing(back);
    }

    @Test
    @DisplayName("a subscriber that neither reads nor acks keeps storedMessages bounded; the publisher is paused, then acked")
    void slowSubscriberBoundsMemory() throws Exception {
        int queue = 20;
        start(BrokerOptions.builder().maxQueuedMessages(queue).sysInterval(Duration.ZERO).build());
        RawClient slow = subscriber(MqttVersion.V5, "slow", true, prop(PropertyId.RECEIVE_MAXIMUM, 2),
                "b/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        int n = 1000;
        for (int i = 1; i <= n; i++) {
            p.send(publish("b/t", "m" + i, QoS.AT_LEAST_ONCE, i, false, Properties.EMPTY));
        }
        long bound = 2L * queue + 2; // the queue with its slack for paused publishers, plus the in-flight window
        long maxStored = 0;
        for (int i = 1; i <= n; i++) {
            MqttPacket ack = p.read(Duration.ofSeconds(20));
            assertTrue(ack instanceof Puback, "got " + ack);
            assertEquals(i, ((Puback) ack).packetId());
            maxStored = Math.max(maxStored, broker.statistics().storedMessages());
        }
        assertTrue(maxStored <= bound, "stored messages peaked at " + maxStored + " > " + bound);
        assertTrue(broker.statistics().publishersPaused() > 0, "the publisher was paused");
        MqttPacket first = slow.read();
        if (first instanceof Publish pub) {
            pub.payload().release();
        }
    }
}
