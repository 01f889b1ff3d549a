package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.engine.BrokerOptions;

/**
 * A fast real publisher (HiveMQ, QoS 1, no pause) and a slow real subscriber (Paho v5, Receive Maximum 5, acking by
 * hand from its own thread): the broker holds the difference in a bounded queue and slows the publisher rather than
 * dropping (docs/broker.md, slow-subscriber policy).
 */
class BackpressureInteropTest extends BrokerFixture {
    private static final int QUEUE = 1000;
    private static final int WINDOW = 5;

    @Override
    BrokerOptions options() {
        return BrokerOptions.builder().maxQueuedMessages(QUEUE).build();
    }

    @Test
    @DisplayName("5000 QoS 1 messages from HiveMQ reach a slow Paho v5 subscriber (Receive Maximum 5) all, in order;"
            + " stored messages stay bounded and none is dropped (MQTT-3.3.4-9, 4.9)")
    void slowSubscriberSlowsPublisher() throws Exception {
        int n = 5000;
        MqttConnectionOptions o = PahoV5.options();
        o.setReceiveMaximum(WINDOW);
        AtomicLong peakStored = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try (PahoV5 sub = PahoV5.connect(tcpUri(), "bp-sub", o)) {
            sub.client.setManualAcks(true);
            assertEquals(1, sub.subscribe("bp/t", 1));
            sampler.scheduleAtFixedRate(() -> peakStored.accumulateAndGet(broker.statistics().storedMessages(),
                    Math::max), 0, 1, TimeUnit.MILLISECONDS);
            Mqtt5AsyncClient pub = HiveMq.v5(port, "bp-pub").buildAsync();
            pub.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
            // the subscriber's side runs on its own thread: the publishing loop below blocks while the broker
            // holds the publisher back, which is the point
            CompletableFuture<Void> consumed = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        MqttMessage m = sub.next().message();
                        assertEquals("m" + i, new String(m.getPayload(), StandardCharsets.UTF_8), "in order");
                        // the slow consumer under test: a little work per message before its PUBACK
                        LockSupport.parkNanos(20_000);
                        sub.client.messageArrivedComplete(m.getId(), m.getQos());
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            try {
                CompletableFuture<?>[] sent = new CompletableFuture<?>[n];
                for (int i = 0; i < n; i++) {
                    sent[i] = pub.publishWith().topic("bp/t").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
                }
                CompletableFuture.allOf(sent).get(WAIT_SECONDS, TimeUnit.SECONDS);
                for (CompletableFuture<?> f : sent) {
                    assertTrue(((Mqtt5PublishResult) f.get()).getError().isEmpty(), "the publisher completed");
                }
                consumed.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } finally {
                pub.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            sampler.shutdownNow();
        }
        assertEquals(0, broker.statistics().publishDropped(), "nothing dropped");
        long peak = peakStored.get();
        // docs/broker.md: publishers are paused at the limit, but what they had already sent is still queued, up
        // to twice the limit before anything would be dropped
        assertTrue(peak <= 2 * QUEUE + WINDOW, "stored messages stayed within twice the queue limit: peak " + peak);
        assertTrue(peak > WINDOW, "the subscriber was slower than the publisher (queue used): peak " + peak);
    }
}
