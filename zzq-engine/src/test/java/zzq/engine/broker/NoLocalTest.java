package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;
import zzq.engine.RawClient;

/** 5.0 No Local subscription option (MQTT 5.0 section 3.8.3.1). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NoLocalTest extends BrokerTestBase {
    private static Subscription noLocal(String filter) {
        return new Subscription(filter, new SubscriptionOptions(QoS.AT_MOST_ONCE, true, false,
                RetainHandling.SEND_ON_SUBSCRIBE));
    }

    @Test
    @DisplayName("No Local: a client's own messages are not forwarded to it, others' are (MQTT-3.8.3-3)")
    void ownMessagesNotReceived() throws Exception {
        start();
        RawClient a = client(MqttVersion.V5, "a");
        subscribe(a, 1, noLocal("n/t"), Properties.EMPTY);
        RawClient b = client(MqttVersion.V5, "b");
        subscribe(b, 1, noLocal("n/t"), Properties.EMPTY);
        a.send(publish("n/t", "from a", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        assertEquals("from a", receive(b).payload());
        expectNothing(a);
        b.send(publish("n/t", "from b", QoS.AT_MOST_ONCE, 0, false, Properties.EMPTY));
        assertEquals("from b", receive(a).payload());
    }

    @Test
    @DisplayName("No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82 (MQTT-3.8.3-4)")
    void noLocalOnSharedIsProtocolError() throws Exception {
        start();
        RawClient a = client(MqttVersion.V5, "a");
        // the codec will not build this SUBSCRIBE, so it goes as bytes: packet id 1, no properties, No Local set
        byte[] filter = "$share/g/n/t".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82);
        b.write(2 + 1 + 2 + filter.length + 1);
        b.write(0);
        b.write(1);
        b.write(0);
        b.write(0);
        b.write(filter.length);
        b.write(filter);
        b.write(0x04);
        a.sendBytes(b.toByteArray());
        assertEquals(ReasonCode.PROTOCOL_ERROR, a.expect(Disconnect.class).reasonCode());
        assertClosed(a);
    }
}
