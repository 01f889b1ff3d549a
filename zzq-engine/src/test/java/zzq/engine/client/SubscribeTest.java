package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.options;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/** SUBSCRIBE and UNSUBSCRIBE: what goes on the wire, and the broker's answer for each filter. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    @Test
    @DisplayName("results() has the broker's answer per filter, refusals included (MQTT-3.9.3-1)")
    void resultsPerFilter() throws Exception {
        Endpoint at = broker.start(BrokerOptions.builder().authorizer(ClientTests.denying(null, "deny/")).build());
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            try (Client client = Client.connect(at.toString(), options().version(v).build())) {
                Subscription s = client.subscribe(SubscribeRequest.builder().filter("a/#", QoS.AT_LEAST_ONCE)
                        .filter("deny/x", QoS.EXACTLY_ONCE).filter("b", QoS.AT_MOST_ONCE).build());
                ReasonCode refused = v.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.UNSPECIFIED_ERROR;
                assertEquals(List.of(ReasonCode.GRANTED_QOS_1, refused, ReasonCode.GRANTED_QOS_0), s.results(),
                        "in " + v);
                assertEquals(List.of("a/#", "deny/x", "b"), s.filters());
                assertTrue(s.isActive(), "some filters were granted");

                Subscription none = client.subscribe("deny/y", QoS.AT_LEAST_ONCE);
                assertEquals(List.of(refused), none.results());
                assertFalse(none.isActive(), "every filter refused: the subscription ended");
                assertNull(none.receive(WAIT), "an ended subscription returns at once");
            }
        }
    }

    @Test
    @DisplayName("a refused filter does not catch messages: they go to the matching granted one or nowhere")
    void refusedFilterReceivesNothing() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<Subscription> sub = client.subscribeAsync(SubscribeRequest.builder()
                .filter("ok/#", QoS.AT_MOST_ONCE).filter("no/#", QoS.AT_MOST_ONCE).build());
        Subscribe s = c.expect(Subscribe.class);
        c.send(new Suback(s.packetId(), List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.NOT_AUTHORIZED),
                Properties.EMPTY));
        Subscription subscription = done(sub);
        Subscription unmatched = client.unmatchedMessages();
        c.send(FakeBroker.Conn.publish("no/x", "stray", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        c.send(FakeBroker.Conn.publish("ok/x", "fine", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        assertEquals("stray", unmatched.receive(WAIT).payloadAsString());
        assertEquals("fine", subscription.receive(WAIT).payloadAsString());
        assertEquals(0, subscription.buffered());
    }

    @Test
    @DisplayName("SUBSCRIBE carries the Subscription Identifier, User Properties and every 5.0 option")
    void subscribePropertiesOnTheWire() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        SubscriptionOptions special = new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, true,
                RetainHandling.DO_NOT_SEND);
        CompletableFuture<Subscription> sub = client.subscribeAsync(SubscribeRequest.builder()
                .filter("x/+", special).filter("y", QoS.EXACTLY_ONCE).identifier(42)
                .userProperty("who", "me").userProperty("who", "you").build());
        Subscribe s = c.expect(Subscribe.class);
        assertEquals(42, s.properties().integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER, -1));
        assertEquals(List.of(new UserProperty("who", "me"), new UserProperty("who", "you")),
                s.properties().userProperties());
        assertEquals(2, s.subscriptions().size());
        assertEquals("x/+", s.subscriptions().get(0).filter());
        assertEquals(special, s.subscriptions().get(0).options());
        assertEquals(SubscriptionOptions.of(QoS.EXACTLY_ONCE), s.subscriptions().get(1).options());
        c.send(new Suback(s.packetId(), List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2),
                Properties.EMPTY));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2), done(sub).results());
    }

    @Test
    @DisplayName("3.1.1 SUBSCRIBE has no properties and only the QoS in its options")
    void v311SubscribeIsPlain() throws Exception {
        Client client = fake.client(options().version(MqttVersion.V3_1_1).build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<Subscription> sub = client.subscribeAsync(SubscribeRequest.builder()
                .filter("x", new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, false,
                        RetainHandling.DO_NOT_SEND)).identifier(7).build());
        Subscribe s = c.expect(Subscribe.class);
        assertTrue(s.properties().isEmpty());
        assertEquals(SubscriptionOptions.of(QoS.AT_LEAST_ONCE), s.subscriptions().get(0).options());
        c.send(new Suback(s.packetId(), List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        done(sub);
    }

    @Test
    @DisplayName("received messages carry the subscription's identifier (zzq broker, MQTT-3.3.4-3)")
    void subscriptionIdentifierDelivered() throws Exception {
        Endpoint at = broker.start(BrokerOptions.DEFAULTS);
        try (Client client = Client.connect(at.toString(), options().build())) {
            Subscription s = client.subscribe(SubscribeRequest.builder().filter("id/#", QoS.AT_LEAST_ONCE)
                    .identifier(42).build());
            client.publish("id/x", new byte[] {1}, QoS.AT_LEAST_ONCE, false);
            ApplicationMessage m = s.receive(WAIT);
            assertNotNull(m);
            assertEquals(List.of(42), m.properties().subscriptionIdentifiers());
        }
    }

    @Test
    @DisplayName("unsubscribe answers per filter: 0x00, 0x11 for none (5.0); all success in 3.1.1")
    void unsubscribeResults() throws Exception {
        Endpoint at = broker.start(BrokerOptions.DEFAULTS);
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            try (Client client = Client.connect(at.toString(), options().version(v).build())) {
                Subscription s = client.subscribe(SubscribeRequest.builder().filter("u/1", QoS.AT_LEAST_ONCE)
                        .filter("u/2", QoS.AT_LEAST_ONCE).build());
                ReasonCode none = v.isV5() ? ReasonCode.NO_SUBSCRIPTION_EXISTED : ReasonCode.SUCCESS;
                assertEquals(List.of(ReasonCode.SUCCESS, none), client.unsubscribe("u/1", "never"), "in " + v);
                assertTrue(s.isActive(), "u/2 still holds");
                client.publish("u/1", new byte[1], QoS.AT_LEAST_ONCE, false);
                client.publish("u/2", new byte[] {2}, QoS.AT_LEAST_ONCE, false);
                ApplicationMessage m = s.receive(WAIT);
                assertEquals("u/2", m.topic(), "u/1 no longer delivered");
                assertEquals(List.of(ReasonCode.SUCCESS), s.unsubscribe());
                assertFalse(s.isActive());
                assertNull(s.receive(QUIET));
            }
        }
    }

    @Test
    @DisplayName("Subscription.unsubscribe sends UNSUBSCRIBE for its filters and returns UNSUBACK's codes")
    void subscriptionUnsubscribeOnTheWire() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "w/#", QoS.AT_LEAST_ONCE);
        CompletableFuture<List<ReasonCode>> unsub = s.unsubscribeAsync();
        Unsubscribe u = c.expect(Unsubscribe.class);
        assertEquals(List.of("w/#"), u.filters());
        assertTrue(s.isActive(), "until UNSUBACK");
        c.send(new Unsuback(u.packetId(), List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY));
        assertEquals(List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), done(unsub));
        assertFalse(s.isActive());
    }
}
