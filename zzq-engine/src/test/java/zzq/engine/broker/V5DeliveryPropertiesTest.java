package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.RawClient;

/** 5.0 properties of delivered messages: expiry, topic aliases, request/response properties forwarded. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class V5DeliveryPropertiesTest {

    @Nested
    class MessageExpiry extends BrokerTestBase {
        @Test
        @DisplayName("Message Expiry Interval forwarded as the time left, never more than sent (MQTT-3.3.2-6)")
        void forwardedAsRemaining() throws Exception {
            start();
            RawClient s = subscriber(MqttVersion.V5, "s", "x/t", QoS.AT_LEAST_ONCE);
            RawClient p = client(MqttVersion.V5, "p");
            p.send(publish("x/t", "x", QoS.AT_LEAST_ONCE, 1, false,
                    prop(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60)));
            long left = receive(s).properties().integerOr(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
            assertTrue(left > 0 && left <= 60, "remaining " + left);
        }

        @Test
        @DisplayName("a message queued for an offline session that expires is not delivered (MQTT-3.3.2-5)")
        void expiredQueuedNotDelivered() throws Exception {
            start();
            RawClient s = subscriber(MqttVersion.V5, "s", true, expiry(300), "x/t", QoS.AT_LEAST_ONCE);
            disconnect(s);
            awaitConnected(0);
            RawClient p = client(MqttVersion.V5, "p");
            publishAcked(p, "x/t", "short", 1, false, prop(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1));
            publishAcked(p, "x/t", "long", 2, false, prop(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60));
            long sent = System.nanoTime();
            await("the short message's expiry", () -> System.nanoTime() - sent > 1_200_000_000L);
            RawClient back = client(MqttVersion.V5, "s", false, expiry(300));
            assertTrue(lastConnack.sessionPresent());
            assertEquals("long", receive(back).payload());
            expectNothing(back);
        }
        @Test
        @DisplayName("an expired retained message is no longer sent to new subscribers (3.3.2.3.3)")
        void expiredRetainedNotSent() throws Exception {
            start();
            RawClient p = client(MqttVersion.V5, "p");
            publishAcked(p, "x/r", "short", 1, true, prop(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1));
            long sent = System.nanoTime();
            await("the retained message's expiry", () -> System.nanoTime() - sent > 1_200_000_000L);
            RawClient s = subscriber(MqttVersion.V5, "s", "x/r", QoS.AT_LEAST_ONCE);
            expectNothing(s);
        }
    }

    @Nested
    class TopicAliases extends BrokerTestBase {
        @Test
        @DisplayName("client → broker: alias set with a topic, then used with an empty topic → delivered with the real topic (MQTT-3.3.2-12, 3.3.2.3.4)")
        void inboundAlias() throws Exception {
            start();
            RawClient s = subscriber(MqttVersion.V5, "s", "al/t", QoS.AT_MOST_ONCE);
            RawClient p = client(MqttVersion.V5, "p");
            Properties alias = prop(PropertyId.TOPIC_ALIAS, 3);
            p.send(publish("al/t", "one", QoS.AT_MOST_ONCE, 0, false, alias));
            p.send(publish("", "two", QoS.AT_MOST_ONCE, 0, false, alias));
            Msg one = receive(s);
            Msg two = receive(s);
            assertEquals("al/t", one.topic());
            assertEquals("al/t", two.topic());
            assertEquals("two", two.payload());
            assertFalse(two.properties().contains(PropertyId.TOPIC_ALIAS), "the client's alias is not forwarded");
        }

        @Test
        @DisplayName("broker → client with Topic Alias Maximum 5: alias with the topic first, then empty topic + alias (MQTT-3.3.2-11, 3.3.2.3.4)")
        void outboundAlias() throws Exception {
            start();
            RawClient s = subscriber(MqttVersion.V5, "s", true, prop(PropertyId.TOPIC_ALIAS_MAXIMUM, 5),
                    "al/t", QoS.AT_MOST_ONCE);
            RawClient p = client(MqttVersion.V5, "p");
            p.send(publish("al/t", "one", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
            p.send(publish("al/t", "two", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
            Msg one = receive(s);
            Msg two = receive(s);
            assertEquals("al/t", one.topic());
            long alias = one.properties().integerOr(PropertyId.TOPIC_ALIAS, 0);
            assertTrue(alias >= 1 && alias <= 5, "alias " + alias);
            assertEquals("", two.topic());
            assertEquals(alias, two.properties().integerOr(PropertyId.TOPIC_ALIAS, 0));
            assertEquals("two", two.payload());
        }

        @Test
        @DisplayName("no Topic Alias Maximum from the client → the broker sends no alias (MQTT-3.1.2-26)")
        void noOutboundAliasWithoutMaximum() throws Exception {
            start();
            RawClient s = subscriber(MqttVersion.V5, "s", "al/t", QoS.AT_MOST_ONCE);
            RawClient p = client(MqttVersion.V5, "p");
            p.send(publish("al/t", "one", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
            p.send(publish("al/t", "two", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
            assertFalse(receive(s).properties().contains(PropertyId.TOPIC_ALIAS));
            Msg two = receive(s);
            assertEquals("al/t", two.topic());
            assertFalse(two.properties().contains(PropertyId.TOPIC_ALIAS));
        }
    }

    @Nested
    class RequestResponse extends BrokerTestBase {
        @Test
        @DisplayName("Response Topic, Correlation Data, Content Type, Payload Format Indicator, User Properties in order forwarded unchanged (MQTT-3.3.2-4, -15, -16, -17, -18, -20)")
        void propertiesForwardedUnchanged() throws Exception {
            start();
            RawClient s = subscriber(MqttVersion.V5, "s", "req", QoS.AT_LEAST_ONCE);
            RawClient p = client(MqttVersion.V5, "p");
            Properties sent = Properties.builder()
                    .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                    .add(PropertyId.RESPONSE_TOPIC, "resp/p")
                    .add(PropertyId.CORRELATION_DATA, BinaryData.of(new byte[] {1, 2, 3}))
                    .add(PropertyId.CONTENT_TYPE, "text/plain")
                    .userProperty("k", "2").userProperty("a", "1").userProperty("k", "1")
                    .build();
            publishAcked(p, "req", "ping", 1, false, sent);
            Properties got = receive(s).properties();
            assertEquals(1, got.integerOr(PropertyId.PAYLOAD_FORMAT_INDICATOR, -1));
            assertEquals("resp/p", got.string(PropertyId.RESPONSE_TOPIC).orElseThrow());
            assertEquals(BinaryData.of(new byte[] {1, 2, 3}), got.binary(PropertyId.CORRELATION_DATA).orElseThrow());
            assertEquals("text/plain", got.string(PropertyId.CONTENT_TYPE).orElseThrow());
            assertEquals(List.of(new UserProperty("k", "2"), new UserProperty("a", "1"), new UserProperty("k", "1")),
                    got.userProperties());
            assertEquals(sent, got, "nothing added or dropped");
        }

        @Test
        @DisplayName("Request Response Information 1 → CONNACK carries Response Information (3.2.2.3.15)")
        void responseInformation() throws Exception {
            start();
            client(MqttVersion.V5, "rr", true,
                    prop(PropertyId.REQUEST_RESPONSE_INFORMATION, 1));
            assertTrue(lastConnack.properties().string(PropertyId.RESPONSE_INFORMATION).isPresent());
            client(MqttVersion.V5, "plain");
            assertFalse(lastConnack.properties().contains(PropertyId.RESPONSE_INFORMATION),
                    "only when asked (MQTT-3.1.2-28)");
        }
    }

    @Nested
    class SubscriptionIdentifiers extends BrokerTestBase {
        @Test
        @DisplayName("retained messages sent on subscribe carry the Subscription Identifier (MQTT-3.3.4-3)")
        void retainedCarryIdentifier() throws Exception {
            start();
            RawClient p = client(MqttVersion.V5, "p");
            publishAcked(p, "id/t", "kept", 1, true, Properties.EMPTY);
            RawClient s = client(MqttVersion.V5, "s");
            subscribe(s, 1, new Subscription("id/+", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                    prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 42));
            Msg m = receive(s);
            assertTrue(m.retain());
            assertEquals(List.of(42), m.properties().subscriptionIdentifiers());
        }

        @Test
        @DisplayName("a subscription replaced without an identifier loses it (3.8.2.1.2, MQTT-3.8.4-3)")
        void replacedSubscriptionDropsIdentifier() throws Exception {
            start();
            RawClient s = client(MqttVersion.V5, "s");
            subscribe(s, 1, new Subscription("id/t", SubscriptionOptions.of(QoS.AT_LEAST_ONCE)),
                    prop(PropertyId.SUBSCRIPTION_IDENTIFIER, 42));
            subscribe(s, 2, "id/t", QoS.AT_LEAST_ONCE);
            RawClient p = client(MqttVersion.V5, "p");
            publishAcked(p, "id/t", "x", 1, false, Properties.EMPTY);
            Msg m = receive(s);
            assertEquals(List.of(), m.properties().subscriptionIdentifiers());
            expectNothing(s);
        }
    }
}
