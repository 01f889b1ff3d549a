package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.engine.ApplicationMessage;
import zzq.engine.BrokerFixture;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.ConnectRefusedException;
import zzq.engine.PublishResult;
import zzq.engine.Subscription;

class ClientBasicsTest {
    @RegisterExtension
    final BrokerFixture broker = new BrokerFixture();

    @Test
    void publishesAndReceivesAtEveryQos() throws Exception {
        Endpoint at = broker.start(BrokerOptions.DEFAULTS);
        for (MqttVersion v : List.of(MqttVersion.V5, MqttVersion.V3_1_1)) {
            ClientOptions o = ClientOptions.builder().version(v).build();
            try (Client sub = Client.connect(at.toString(), o); Client pub = Client.connect(at.toString(), o)) {
                Subscription s = sub.subscribe("a/#", QoS.EXACTLY_ONCE);
                assertEquals(List.of(ReasonCode.GRANTED_QOS_2), s.results());
                for (QoS q : QoS.values()) {
                    PublishResult r = pub.publish("a/" + q.value(), ("m" + q.value()).getBytes(), q, false);
                    assertEquals(ReasonCode.SUCCESS, r.reasonCode());
                    ApplicationMessage m = s.receive(Duration.ofSeconds(5));
                    assertNotNull(m, "QoS " + q + " in " + v);
                    assertEquals("a/" + q.value(), m.topic());
                    assertEquals("m" + q.value(), m.payloadAsString());
                    assertEquals(q, m.qos());
                }
            }
        }
    }

    @Test
    void refusalCarriesTheReasonCode() {
        Endpoint at = broker.start(BrokerOptions.builder().allowAnonymous(false).build());
        ConnectRefusedException e = assertThrows(ConnectRefusedException.class,
                () -> Client.connect(at.toString(), ClientOptions.DEFAULTS));
        assertTrue(e.reasonCode().isError(), e.getMessage());
    }
}
