package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static zzq.engine.client.ClientTests.QUIET;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.options;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.Client;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * A broker that says in CONNACK it lacks wildcard, shared or identified subscriptions would treat such a SUBSCRIBE
 * as a protocol error and drop the connection (sections 3.2.2.3.12 to 3.2.2.3.14): the client answers those
 * filters itself and sends only the rest.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalRefusalTest {
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    @Test
    @DisplayName("filters the broker cannot take are refused locally; the rest are sent and merged in order")
    void refusedWithoutAsking() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, Properties.builder()
                .add(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 0)
                .add(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 0).build());
        var pending = client.subscribeAsync(SubscribeRequest.builder().filter("a/#", QoS.AT_MOST_ONCE)
                .filter("plain", QoS.AT_LEAST_ONCE).filter("$share/g/t", QoS.AT_MOST_ONCE).build());
        Subscribe sent = c.expect(Subscribe.class);
        assertEquals(1, sent.subscriptions().size(), "only the plain filter goes out");
        assertEquals("plain", sent.subscriptions().get(0).filter());
        c.send(new Suback(sent.packetId(), List.of(ReasonCode.GRANTED_QOS_1), Properties.EMPTY));
        Subscription s = done(pending);
        assertEquals(List.of(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, ReasonCode.GRANTED_QOS_1,
                ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED), s.results());
    }

    @Test
    @DisplayName("a subscription identifier the broker does not support refuses the whole SUBSCRIBE, unsent")
    void identifierNotSupported() throws Exception {
        Client client = fake.client(options().build());
        FakeBroker.Conn c = fake.connect(client, Properties.builder()
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0).build());
        Subscription s = done(client.subscribeAsync(SubscribeRequest.builder().filter("x", QoS.AT_MOST_ONCE)
                .identifier(7).build()));
        assertEquals(List.of(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED), s.results());
        assertFalse(s.isActive());
        c.assertSilent(QUIET);
    }
}
