package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.options;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * Overlapping subscriptions in 5.0: a broker may send one copy per matching subscription (MQTT-3.3.4-3, Mosquitto
 * does) or one copy with every identifier (section 3.3.4). The client gives each subscription an identifier when the
 * application did not, so either way each subscription gets the message once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OverlappingSubscriptionsTest {
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static int identifierOf(Subscribe s) {
        return (int) s.properties().integerOr(PropertyId.SUBSCRIPTION_IDENTIFIER, 0);
    }

    private static Publish copy(String payload, int... identifiers) {
        Properties.Builder b = Properties.builder();
        for (int id : identifiers) {
            b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
        }
        return new Publish("a/b", QoS.AT_MOST_ONCE, false, false, 0, b.build(),
                Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("one copy per subscription, or one copy with both identifiers: each subscription gets it once")
    void eachSubscriptionOnce() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        int[] ids = new int[2];
        Subscription[] subs = new Subscription[2];
        String[] filters = {"a/#", "a/+"};
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Subscription> pending = client.subscribeAsync(
                    SubscribeRequest.of(filters[i], QoS.AT_MOST_ONCE));
            Subscribe s = c.expect(Subscribe.class);
            ids[i] = identifierOf(s);
            c.send(new Suback(s.packetId(), List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY));
            subs[i] = done(pending);
        }
        assertNotEquals(0, ids[0], "the client chose an identifier");
        assertNotEquals(ids[0], ids[1], "one per subscription");

        c.send(copy("per-subscription", ids[0]));
        c.send(copy("per-subscription", ids[1]));
        c.send(copy("both", ids[0], ids[1]));
        for (Subscription s : subs) {
            ApplicationMessage first = s.receive(WAIT);
            assertEquals("per-subscription", first.payloadAsString());
            assertEquals(List.of(), first.properties().subscriptionIdentifiers(),
                    "the client's own identifiers are not the application's business");
            assertEquals("both", s.receive(WAIT).payloadAsString());
            assertNull(s.receive(QUIET), "no second copy");
        }
    }

    @Test
    @DisplayName("the application's own identifier is kept, and a copy for another subscription is not its")
    void applicationIdentifierKept() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client);
        CompletableFuture<Subscription> pending = client.subscribeAsync(SubscribeRequest.builder()
                .filter("a/#", QoS.AT_MOST_ONCE).identifier(42).build());
        Subscribe s = c.expect(Subscribe.class);
        assertEquals(42, identifierOf(s));
        c.send(new Suback(s.packetId(), List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY));
        Subscription sub = done(pending);
        Subscription unmatched = client.unmatchedMessages();
        c.send(copy("not mine", 7));
        c.send(copy("mine", 42));
        assertEquals("mine", sub.receive(WAIT).payloadAsString());
        assertEquals("not mine", unmatched.receive(WAIT).payloadAsString(),
                "a copy for a subscription this client no longer has (an earlier process's) is unmatched");
    }

    @Test
    @DisplayName("no identifiers when the broker says it does not support them")
    void noIdentifiersWhenUnsupported() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, Properties.builder()
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0).build());
        CompletableFuture<Subscription> pending = client.subscribeAsync(SubscribeRequest.of("a/#",
                QoS.AT_MOST_ONCE));
        Subscribe s = c.expect(Subscribe.class);
        assertEquals(0, identifierOf(s));
        c.send(new Suback(s.packetId(), List.of(ReasonCode.GRANTED_QOS_0), Properties.EMPTY));
        done(pending);
    }
}
