package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;
import zzq.engine.RawClient;

/** Retained messages (MQTT 5.0 section 3.3.1.3): store, replace, delete, RETAIN flag on delivery, Retain Handling. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetainedTest extends BrokerTestBase {

    private void retain(RawClient p, String topic, String payload) throws Exception {
        publishAcked(p, topic, payload, 1, true, Properties.EMPTY);
    }

    private static Subscription sub(String filter, RetainHandling rh, boolean rap) {
        return new Subscription(filter, new SubscriptionOptions(QoS.AT_LEAST_ONCE, false, rap, rh));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("set, replace, delete with an empty payload (MQTT-3.3.1-5, -6, -7); a new subscriber gets it with RETAIN=1 (MQTT-3.3.1-9, 3.1.1 MQTT-3.3.1-8)")
    void setReplaceDelete(MqttVersion v) throws Exception {
        start();
        RawClient p = client(v, "p");
        retain(p, "r/t", "one");
        RawClient s1 = subscriber(v, "s1", "r/t", QoS.AT_LEAST_ONCE);
        Msg m = receive(s1);
        assertEquals("one", m.payload());
        assertTrue(m.retain());

        retain(p, "r/t", "two");
        Msg live = receive(s1);
        assertEquals("two", live.payload());
        assertFalse(live.retain(), "live delivery has RETAIN=0 (3.1.1 MQTT-3.3.1-9, 5.0 MQTT-3.3.1-12)");
        RawClient s2 = subscriber(v, "s2", "r/t", QoS.AT_LEAST_ONCE);
        Msg replaced = receive(s2);
        assertEquals("two", replaced.payload());
        assertTrue(replaced.retain());
        expectNothing(s2);

        retain(p, "r/t", "");
        // forwarded normally to current subscribers, and no longer retained (MQTT-3.3.1-6, -7)
        assertEquals("", receive(s1).payload());
        RawClient s3 = subscriber(v, "s3", "r/t", QoS.AT_LEAST_ONCE);
        expectNothing(s3);
    }

    @Test
    @DisplayName("5.0 Retain As Published: live delivery keeps RETAIN=1 (MQTT-3.3.1-13)")
    void retainAsPublished() throws Exception {
        start();
        RawClient s = client(MqttVersion.V5, "s");
        subscribe(s, 1, sub("rap/t", RetainHandling.SEND_ON_SUBSCRIBE, true), Properties.EMPTY);
        RawClient p = client(MqttVersion.V5, "p");
        retain(p, "rap/t", "x");
        assertTrue(receive(s).retain());
    }

    @ParameterizedTest
    @EnumSource(RetainHandling.class)
    @DisplayName("Retain Handling 0: on every subscribe; 1: only on a new subscription; 2: never (MQTT-3.3.1-9, -10, -11)")
    void retainHandling(RetainHandling rh) throws Exception {
        start();
        retain(client(MqttVersion.V5, "p"), "h/t", "x");
        RawClient s = client(MqttVersion.V5, "s");
        subscribe(s, 1, sub("h/t", rh, false), Properties.EMPTY);
        if (rh == RetainHandling.DO_NOT_SEND) {
            expectNothing(s);
        } else {
            assertTrue(receive(s).retain(), "on the new subscription");
        }
        subscribe(s, 2, sub("h/t", rh, false), Properties.EMPTY);
        if (rh == RetainHandling.SEND_ON_SUBSCRIBE) {
            assertTrue(receive(s).retain(), "again on the existing subscription");
        } else {
            expectNothing(s);
        }
    }

    @Test
    @DisplayName("a wildcard subscription gets every matching retained message (MQTT-3.3.1-9, 4.7)")
    void wildcardGetsAllMatching() throws Exception {
        start();
        RawClient p = client(MqttVersion.V3_1_1, "p");
        retain(p, "w/a", "a");
        retain(p, "w/b/c", "bc");
        retain(p, "x/a", "no");
        RawClient s = subscriber(MqttVersion.V3_1_1, "s", "w/#", QoS.AT_LEAST_ONCE);
        Msg m1 = receive(s);
        Msg m2 = receive(s);
        assertEquals(Set.of("w/a", "w/b/c"), Set.of(m1.topic(), m2.topic()));
        expectNothing(s);
    }

    @Test
    @DisplayName("topics starting with $ are not matched by # or + at the first level (MQTT-4.7.2-1)")
    void dollarTopicsNotMatchedByWildcards() throws Exception {
        start();
        RawClient p = client(MqttVersion.V3_1_1, "p");
        retain(p, "$app/t", "dollar");
        RawClient s = subscriber(MqttVersion.V3_1_1, "s", "#", QoS.AT_LEAST_ONCE);
        subscribe(s, 2, "+/t", QoS.AT_LEAST_ONCE);
        expectNothing(s);
        p.send(publish("$app/t", "live", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        expectNothing(s);
        subscribe(s, 3, "$app/#", QoS.AT_LEAST_ONCE);
        Msg m = receive(s);
        assertEquals("$app/t", m.topic());
        assertTrue(m.retain());
    }
}
