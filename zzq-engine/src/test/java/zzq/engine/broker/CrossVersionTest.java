package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Puback;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.RawClient;

/** Messages crossing protocol versions: a 5.0 publisher's properties do not reach a 3.1.1 subscriber's wire. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrossVersionTest extends BrokerTestBase {

    @Test
    @DisplayName("a 5.0 message with properties reaches a 3.1.1 subscriber as a plain 3.1.1 PUBLISH (3.1.1 has no properties)")
    void v5PropertiesDroppedForV311() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V3_1_1, "s", "c/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V5, "p");
        publishAcked(p, "c/t", "x", 1, false, Properties.builder()
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60).add(PropertyId.CONTENT_TYPE, "text/plain")
                .userProperty("k", "v").build());
        Msg m = receive(s);
        assertEquals("x", m.payload());
        assertTrue(m.properties().isEmpty());
        s.send(new Puback(m.packetId()));
        s.send(zzq.codec.packet.Pingreq.INSTANCE);
        s.expect(zzq.codec.packet.Pingresp.class); // the connection lives on
    }

    @Test
    @DisplayName("a 3.1.1 message reaches a 5.0 subscriber with no properties added")
    void v311ToV5() throws Exception {
        start();
        RawClient s = subscriber(MqttVersion.V5, "s", "c/t", QoS.AT_LEAST_ONCE);
        RawClient p = client(MqttVersion.V3_1_1, "p");
        publishAcked(p, "c/t", "x", 1, false, Properties.EMPTY);
        assertTrue(receive(s).properties().isEmpty());
    }
}
