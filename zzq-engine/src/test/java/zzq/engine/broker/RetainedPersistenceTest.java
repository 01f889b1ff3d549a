package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

/** Retained messages go through the persistence SPI: loaded at start, recorded on set and on delete. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetainedPersistenceTest {
    @Test
    void retainedMessagesAreRecordedAndSurviveARestart() throws Exception {
        MapPersistence store = new MapPersistence();
        BrokerOptions options = BrokerOptions.builder().persistence(store).sysInterval(java.time.Duration.ZERO)
                .build();
        try (Broker broker = Broker.start(options)) {
            try (RawClient pub = new RawClient(broker.bind("mqtt://127.0.0.1:0"), MqttVersion.V3_1_1)) {
                pub.send(RawClient.connect(MqttVersion.V3_1_1, "pub", true, 30)).expect(Connack.class);
                pub.send(RawClient.publish("kept/a", "one", QoS.AT_LEAST_ONCE, 1, true)).read();
                pub.send(RawClient.publish("kept/b", "two", QoS.AT_LEAST_ONCE, 2, true)).read();
                pub.send(RawClient.publish("kept/b", "", QoS.AT_LEAST_ONCE, 3, true)).read(); // MQTT-3.3.1-6
            }
        }
        assertEquals(Map.of("kept/a", "one"), Map.of("kept/a",
                StandardCharsets.UTF_8.decode(store.retained.get("kept/a").payload()).toString()));
        assertEquals(1, store.retained.size());
        try (Broker restarted = Broker.start(options);
             RawClient sub = new RawClient(restarted.bind("mqtt://127.0.0.1:0"), MqttVersion.V3_1_1)) {
            sub.send(RawClient.connect(MqttVersion.V3_1_1, "sub", true, 30)).expect(Connack.class);
            sub.send(new Subscribe(1, List.of(new Subscription("kept/#", SubscriptionOptions.of(QoS.AT_MOST_ONCE))),
                    Properties.EMPTY)).expect(Suback.class);
            Publish p = sub.expect(Publish.class);
            try {
                assertEquals("kept/a", p.topic());
                assertTrue(p.retain(), "a retained message sent on subscribe has RETAIN set (MQTT-3.3.1-9)");
                assertEquals("one", p.payload().toString(StandardCharsets.UTF_8));
            } finally {
                p.payload().release();
            }
        }
    }
}
