package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.property.Properties;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;

/** The broker's {@code $SYS} topics (Mosquitto's names): published, and closed to clients' publishing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SysTopicsTest extends BrokerTestBase {

    @Test
    @DisplayName("$SYS/# gets $SYS/broker/version, uptime and clients/connected, updated each interval")
    void sysTopicsPublished() throws Exception {
        start(BrokerOptions.builder().sysInterval(Duration.ofMillis(100)).build());
        RawClient s = subscriber(MqttVersion.V3_1_1, "s", "$SYS/#", QoS.AT_MOST_ONCE);
        Map<String, String> seen = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        // the retained figures come first; clients/connected then changes to 1 (this client) at the next interval
        while (!(seen.containsKey("$SYS/broker/version") && seen.containsKey("$SYS/broker/uptime")
                && "1".equals(seen.get("$SYS/broker/clients/connected"))) && System.nanoTime() < deadline) {
            Msg m = receive(s);
            assertEquals(QoS.AT_MOST_ONCE, m.qos());
            seen.put(m.topic(), m.payload());
        }
        assertEquals(SysTopics.VERSION, seen.get("$SYS/broker/version"));
        assertTrue(seen.get("$SYS/broker/uptime").endsWith(" seconds"), seen.get("$SYS/broker/uptime"));
        assertEquals("1", seen.get("$SYS/broker/clients/connected"));
    }

    @Test
    @DisplayName("a client cannot publish to $SYS: 5.0 PUBACK 0x87 (4.7.2: $SYS is the server's; refused as Mosquitto does)")
    void clientCannotPublishToSys() throws Exception {
        start(BrokerOptions.builder().sysInterval(Duration.ZERO).build());
        RawClient s = subscriber(MqttVersion.V5, "s", "$SYS/#", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        p.send(publish("$SYS/broker/version", "fake", QoS.AT_LEAST_ONCE, 1, true, Properties.EMPTY));
        assertEquals(ReasonCode.NOT_AUTHORIZED, p.expect(Puback.class).reasonCode());
        expectNothing(s);
        assertEquals(0, broker.statistics().retainedMessages());
    }
}
