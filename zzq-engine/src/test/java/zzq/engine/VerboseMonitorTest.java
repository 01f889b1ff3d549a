package zzq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Publish;

/** Verbose monitors see every message both ways (the reference's message_received / message_sent); others none. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VerboseMonitorTest {
    @Test
    void verboseMonitorsSeeMessagesOthersDoNot() throws Exception {
        MonitorLog verbose = new MonitorLog();
        MonitorLog plain = new MonitorLog();
        try (Broker broker = Broker.start(BrokerOptions.builder().sysInterval(Duration.ZERO).build())) {
            broker.onMonitorEvent(verbose, true);
            broker.onMonitorEvent(plain);
            Endpoint ep = broker.bind("mqtt://127.0.0.1:0");
            try (RawClient sub = Clients.connected(ep, MqttVersion.V5, "sub", 30);
                 RawClient pub = Clients.connected(ep, MqttVersion.V3_1_1, "pub", 30)) {
                Clients.subscribe(sub, "v/#", QoS.AT_MOST_ONCE);
                pub.send(RawClient.publish("v/1", "hello", QoS.AT_LEAST_ONCE, 1, false));
                pub.expect(Puback.class);
                sub.expect(Publish.class).payload().release();
                MonitorEvent.MessageReceived in = verbose.await(MonitorEvent.MessageReceived.class);
                assertEquals("v/1", in.topic());
                assertEquals("pub", in.clientId());
                assertEquals(QoS.AT_LEAST_ONCE, in.qos());
                assertEquals(5, in.payloadSize());
                MonitorEvent.MessageSent out = verbose.await(MonitorEvent.MessageSent.class);
                assertEquals("sub", out.clientId());
                assertEquals(QoS.AT_MOST_ONCE, out.qos(), "sent at the subscription's QoS");
            }
            assertEquals(0, plain.count(MonitorEvent.MessageReceived.class) + plain.count(
                    MonitorEvent.MessageSent.class), "a monitor that did not ask gets no message events");
        }
    }
}
