package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.options;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ReconnectPolicy;
import zzq.engine.Subscription;

/** Topic aliases both ways (5.0 section 3.3.2.3.4): the client's own, within the broker's maximum, and the broker's. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TopicAliasTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static Properties aliasMaximum(int max) {
        return Properties.builder().add(PropertyId.TOPIC_ALIAS_MAXIMUM, max).build();
    }

    private static long alias(Publish p) {
        return p.properties().integerOr(PropertyId.TOPIC_ALIAS, 0);
    }

    @Test
    @DisplayName("repeated topics use an alias and an empty topic; no more aliases than the broker's maximum")
    void outgoingAliasesWithinMaximum() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, aliasMaximum(2));
        for (String t : List.of("t/one", "t/one", "t/two", "t/three", "t/two", "t/three", "t/one")) {
            done(client.publishAsync(ApplicationMessage.of(t, "x")));
        }
        Publish p = c.expect(Publish.class);
        assertEquals("t/one", p.topic(), "the first use sends the topic with the new alias");
        long one = alias(p);
        assertTrue(one == 1 || one == 2, "alias within 1..Topic Alias Maximum (MQTT-3.3.2-9)");
        p = c.expect(Publish.class);
        assertEquals("", p.topic(), "then the alias stands for the topic");
        assertEquals(one, alias(p));
        p = c.expect(Publish.class);
        assertEquals("t/two", p.topic());
        long two = alias(p);
        assertTrue(two >= 1 && two <= 2 && two != one);
        p = c.expect(Publish.class);
        assertEquals("t/three", p.topic(), "no alias left: the topic in full");
        assertEquals(0, alias(p));
        p = c.expect(Publish.class);
        assertEquals("", p.topic());
        assertEquals(two, alias(p));
        p = c.expect(Publish.class);
        assertEquals("t/three", p.topic());
        assertEquals(0, alias(p));
        p = c.expect(Publish.class);
        assertEquals(one, alias(p));
    }

    @Test
    @DisplayName("a broker without Topic Alias Maximum never gets an alias (MQTT-3.3.2-8)")
    void noAliasesWhenMaximumIsZero() throws Exception {
        for (Properties connack : List.of(Properties.EMPTY, aliasMaximum(0))) {
            Client client = fake.client(options().build());
            FakeBroker.Conn c = fake.connect(client, connack);
            for (int i = 0; i < 3; i++) {
                done(client.publishAsync(ApplicationMessage.of("t/same", "x")));
                Publish p = c.expect(Publish.class);
                assertEquals("t/same", p.topic());
                assertFalse(p.properties().contains(PropertyId.TOPIC_ALIAS));
            }
        }
    }

    @Test
    @DisplayName("aliases do not outlive a connection: after a reconnect the topic is sent again (MQTT-3.3.2-7)")
    void aliasesResetOnReconnect() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, aliasMaximum(5));
        done(client.publishAsync(ApplicationMessage.of("t/a", "x")));
        assertEquals("t/a", c.expect(Publish.class).topic());
        c.close();
        FakeBroker.Conn again = fake.acceptSession(false, aliasMaximum(5));
        done(client.publishAsync(ApplicationMessage.of("t/a", "y")));
        Publish p = again.expect(Publish.class);
        assertEquals("t/a", p.topic());
    }

    @Test
    @DisplayName("the broker's aliases are resolved: a message under an alias has its topic, and no alias property")
    void incomingAliasesResolved() throws Exception {
        Client client = fake.client(options().topicAliasMaximum(3).build());
        FakeBroker.Conn c = fake.connect(client);
        Subscription s = ClientTests.subscribe(client, c, "in/#", QoS.AT_MOST_ONCE);
        Properties alias2 = Properties.builder().add(PropertyId.TOPIC_ALIAS, 2).build();
        c.send(FakeBroker.Conn.publish("in/long/topic", "a", QoS.AT_MOST_ONCE, 0, false, alias2));
        c.send(FakeBroker.Conn.publish("", "b", QoS.AT_MOST_ONCE, 0, false, alias2));
        for (String payload : List.of("a", "b")) {
            ApplicationMessage m = s.receive(WAIT);
            assertNotNull(m);
            assertEquals("in/long/topic", m.topic());
            assertEquals(payload, m.payloadAsString());
            assertFalse(m.properties().contains(PropertyId.TOPIC_ALIAS), "aliases are the client's business");
        }
    }

    @Test
    @DisplayName("an alias above the client's Topic Alias Maximum, or never set → DISCONNECT 0x94 (MQTT-3.3.2-10)")
    void invalidIncomingAlias() throws Exception {
        for (int alias : new int[] {4, 1}) {
            // NEVER: the first client must not come back while the second connects
            Client client = fake.client(options().topicAliasMaximum(3).reconnect(ReconnectPolicy.NEVER).build());
            FakeBroker.Conn c = fake.connect(client);
            Properties props = Properties.builder().add(PropertyId.TOPIC_ALIAS, alias).build();
            c.send(FakeBroker.Conn.publish(alias == 4 ? "in/x" : "", "a", QoS.AT_MOST_ONCE, 0, false,
                    props));
            Disconnect d = c.expect(Disconnect.class);
            assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, d.reasonCode(), "alias " + alias);
            assertTrue(c.awaitClosed(WAIT));
        }
    }

    @Test
    @DisplayName("through the zzq broker: repeated topics under aliases arrive with their topics")
    void throughZzqBroker() throws Exception {
        Endpoint at = broker.start(BrokerOptions.builder().maxTopicAlias(2).build());
        try (Client sub = Client.connect(at.toString(), options().build());
             Client pub = Client.connect(at.toString(), options().build())) {
            Subscription s = sub.subscribe("z/#", QoS.AT_LEAST_ONCE);
            List<String> topics = List.of("z/a", "z/b", "z/a", "z/c", "z/b", "z/a", "z/c");
            for (String t : topics) {
                pub.publish(t, t.getBytes(), QoS.AT_LEAST_ONCE, false);
            }
            for (String t : topics) {
                ApplicationMessage m = s.receive(Duration.ofSeconds(5));
                assertNotNull(m);
                assertEquals(t, m.topic());
                assertEquals(t, m.payloadAsString());
            }
        }
    }
}
