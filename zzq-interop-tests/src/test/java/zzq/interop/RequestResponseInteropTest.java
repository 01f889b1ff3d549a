package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Request/response (section 4.10) between two Paho v5 clients, the response topic taken from Response Information. */
class RequestResponseInteropTest extends BrokerFixture {

    @Test
    @DisplayName("the requester's Response Topic and Correlation Data reach the responder, whose answer reaches the"
            + " requester with them (MQTT-3.3.2-15, -16, 4.10)")
    void roundTrip() throws Exception {
        MqttConnectionOptions asks = PahoV5.options();
        asks.setRequestResponseInfo(true);
        try (PahoV5 requester = PahoV5.connect(tcpUri(), "requester", asks);
             PahoV5 responder = PahoV5.connect(tcpUri(), "responder", PahoV5.options())) {
            String responseTopic = requester.connack().getResponseInfo() + "/answers";
            assertEquals(1, requester.subscribe(responseTopic, 1));
            assertEquals(1, responder.subscribe("service/time", 1));

            byte[] correlation = {7, 0, (byte) 0xFE};
            MqttMessage request = new MqttMessage("what time?".getBytes(StandardCharsets.UTF_8));
            request.setQos(1);
            MqttProperties rp = new MqttProperties();
            rp.setResponseTopic(responseTopic);
            rp.setCorrelationData(correlation);
            request.setProperties(rp);
            requester.publish("service/time", request);

            MqttMessage got = responder.next().message();
            MqttMessage answer = new MqttMessage("noon".getBytes(StandardCharsets.UTF_8));
            answer.setQos(1);
            MqttProperties ap = new MqttProperties();
            ap.setCorrelationData(got.getProperties().getCorrelationData());
            answer.setProperties(ap);
            responder.publish(got.getProperties().getResponseTopic(), answer);

            PahoV5.Received r = requester.next();
            assertEquals(responseTopic, r.topic());
            assertEquals("noon", new String(r.message().getPayload(), StandardCharsets.UTF_8));
            assertArrayEquals(correlation, r.message().getProperties().getCorrelationData());
        }
    }
}
