package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A second connection with the same client identifier takes the session over (MQTT-3.1.4-3). */
class TakeoverInteropTest extends BrokerFixture {

    @Test
    @DisplayName("Paho v5: the first client gets DISCONNECT 0x8E Session taken over")
    void pahoV5FirstIsToldSessionTakenOver() throws Exception {
        try (PahoV5 first = PahoV5.connect(tcpUri(), "twin5", PahoV5.options());
             PahoV5 second = PahoV5.connect(tcpUri(), "twin5", PahoV5.options())) {
            MqttDisconnectResponse r = first.disconnected.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(0x8E, r.getReturnCode(), r.toString());
            assertEquals(1, second.subscribe("t", 1), "the second connection works");
        }
    }

    @Test
    @DisplayName("Paho v3: the first client loses its connection; the second works")
    void pahoV3FirstIsDisconnected() throws Exception {
        try (PahoV3 first = PahoV3.connect(tcpUri(), "twin3", PahoV3.options(true));
             PahoV3 second = PahoV3.connect(tcpUri(), "twin3", PahoV3.options(true))) {
            assertNotNull(first.lost.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(second.client.isConnected());
            assertEquals(1, second.subscribe("t", 1));
            second.publish("t", new byte[] {1}, 1, false);
            assertEquals(1, second.next().message().getPayload()[0]);
        }
    }
}
