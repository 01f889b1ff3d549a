package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.BrokerStatistics;
import zzq.engine.Clients;
import zzq.engine.RawClient;

/** Peers that stop reading or stop talking: the broker stays bounded and keeps serving everyone else. */
@Timeout(60)
class UnresponsivePeerTest {
    private static final int MAX_QUEUED = 500;

    private Broker broker;
    private Endpoint ep;

    private void start(BrokerOptions options) {
        broker = Broker.start(options);
        ep = broker.bind("mqtt://127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Nested
    @DisplayName("flooding a subscriber that never reads")
    class Flooding {
        private static final int MESSAGES = 20_000;
        private static final int PAYLOAD = 1024;
        private static final int PER_WRITE = 100;

        /** {@code count} copies of one QoS 0 PUBLISH of 1 KB, encoded once. */
        private byte[] qos0Publishes(String topic, int count) {
            Publish p = new Publish(topic, QoS.AT_MOST_ONCE, false, false, 0, Properties.EMPTY,
                    Unpooled.wrappedBuffer(new byte[PAYLOAD]));
            ByteBuf one = MqttEncoder.encode(p, MqttVersion.V3_1_1, ByteBufAllocator.DEFAULT);
            try {
                byte[] bytes = new byte[one.readableBytes() * count];
                for (int i = 0; i < count; i++) {
                    one.getBytes(one.readerIndex(), bytes, i * one.readableBytes(), one.readableBytes());
                }
                return bytes;
            } finally {
                one.release();
                p.payload().release();
            }
        }

        @Test
        @DisplayName("QoS 0 past the queue limit is dropped, the publisher and others are served, and closing the "
                + "flooded socket frees its messages")
        void floodedSubscriberStaysBounded() throws IOException {
            start(BrokerOptions.builder().maxQueuedMessages(MAX_QUEUED).build());
            RawClient slow = Clients.connected(ep, MqttVersion.V3_1_1, "slow", 60);
            try (RawClient fast = Clients.connected(ep, MqttVersion.V3_1_1, "fast", 60)) {
                Clients.subscribe(slow, "flood/#", QoS.AT_MOST_ONCE);
                // from here on "slow" reads nothing
                byte[] batch = qos0Publishes("flood/x", PER_WRITE);
                for (int i = 0; i < MESSAGES / PER_WRITE; i++) {
                    fast.sendBytes(batch);
                }
                // the publisher is still served: its QoS 1 PUBLISH (after all the flood) is acknowledged
                fast.send(RawClient.publish("elsewhere", "still here", QoS.AT_LEAST_ONCE, 1, false));
                assertEquals(1, fast.expect(Puback.class).packetId());

                BrokerStatistics s = broker.statistics();
                assertTrue(s.publishDropped() > 0, "QoS 0 messages past the limit are dropped: " + s);
                assertTrue(s.storedMessages() <= MAX_QUEUED, "the queue stays within its limit: " + s);
                Clients.assertServes(ep);
            } finally {
                slow.close();
            }
            Clients.awaitTrue(() -> broker.statistics().storedMessages() == 0, Clients.WAIT,
                    "closing the flooded socket frees its queue: " + broker.statistics());
            Clients.awaitTrue(() -> broker.statistics().clientsConnected() == 0, Clients.WAIT,
                    "every client is gone: " + broker.statistics());
            Clients.assertServes(ep);
        }
    }

    @Nested
    @DisplayName("half-open connections (MQTT-3.1.2-24)")
    class HalfOpen {
        @Test
        @DisplayName("a 5.0 client with keep alive 2 that stops talking (socket open) gets DISCONNECT 0x8D")
        void silentV5Dropped() throws IOException {
            start(BrokerOptions.DEFAULTS);
            try (RawClient c = Clients.connected(ep, MqttVersion.V5, "halfopen5", 2)) {
                long t0 = System.nanoTime();
                Clients.assertDisconnected(c, ReasonCode.KEEP_ALIVE_TIMEOUT);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 2500 && ms <= 8000, "dropped after " + ms + " ms");
            }
            Clients.assertServes(ep);
        }

        @Test
        @DisplayName("a 3.1.1 subscriber with keep alive 2 that stops talking is closed, though the broker still "
                + "sends to it; its session goes")
        void silentSubscriberDropped() throws IOException {
            start(BrokerOptions.DEFAULTS);
            try (RawClient c = Clients.connected(ep, MqttVersion.V3_1_1, "halfopen311", 2);
                 RawClient pub = Clients.connected(ep, MqttVersion.V3_1_1, "feeder", 60)) {
                Clients.subscribe(c, "feed", QoS.AT_MOST_ONCE);
                long t0 = System.nanoTime();
                pub.send(RawClient.publish("feed", "for a peer that no longer answers", QoS.AT_MOST_ONCE, 0,
                        false));
                // the broker talking to the client is no sign of life from it: only what the client sends counts
                assertTrue(c.awaitClosed(Duration.ofSeconds(8)), "closed by keep alive");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 2500, "dropped after " + ms + " ms");
                Clients.awaitTrue(() -> broker.statistics().clientsConnected() == 1, Clients.WAIT,
                        "only the feeder is left: " + broker.statistics());
            }
            Clients.assertServes(ep);
        }
    }
}
