package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.engine.BrokerOptions;

/** What the broker tells real 5.0 clients in CONNACK: Server Keep Alive, Assigned Client Identifier, Response Information. */
class ConnackPropertiesInteropTest extends BrokerFixture {

    @Override
    BrokerOptions options() {
        return BrokerOptions.builder().maxKeepAlive(10).build();
    }

    @Test
    @DisplayName("HiveMQ asking Keep Alive 60 from a broker with maximum 10 gets Server Keep Alive 10"
            + " (MQTT-3.2.2-21, -22)")
    void serverKeepAlive() {
        Mqtt5BlockingClient c = HiveMq.v5Blocking(port, "keepalive");
        Mqtt5ConnAck ack = c.connectWith().keepAlive(60).send();
        try {
            assertEquals(10, ack.getServerKeepAlive().orElseThrow());
        } finally {
            c.disconnect();
        }
    }

    @Test
    @DisplayName("HiveMQ with an empty client id gets an Assigned Client Identifier (MQTT-3.1.3-6, MQTT-3.2.2-16)")
    void assignedIdentifierHiveMq() {
        Mqtt5BlockingClient c = HiveMq.v5Blocking(port, "");
        Mqtt5ConnAck ack = c.connect();
        try {
            String assigned = ack.getAssignedClientIdentifier().orElseThrow().toString();
            assertFalse(assigned.isEmpty());
            assertEquals(assigned, c.getConfig().getClientIdentifier().orElseThrow().toString(),
                    "HiveMQ took it as its identifier");
        } finally {
            c.disconnect();
        }
    }

    @Test
    @DisplayName("Paho v5 with an empty client id gets an Assigned Client Identifier (MQTT-3.1.3-6, MQTT-3.2.2-16)")
    void assignedIdentifierPaho() throws Exception {
        try (PahoV5 p = PahoV5.connect(tcpUri(), "", PahoV5.options())) {
            String assigned = p.connack().getAssignedClientIdentifier();
            assertNotNull(assigned, "Assigned Client Identifier in CONNACK");
            assertFalse(assigned.isEmpty());
        }
    }

    @Test
    @DisplayName("Paho v5 with Request Response Information 1 gets Response Information in CONNACK"
            + " (MQTT-3.1.2-28, 3.2.2.3.15)")
    void responseInformation() throws Exception {
        MqttConnectionOptions o = PahoV5.options();
        o.setRequestResponseInfo(true);
        try (PahoV5 p = PahoV5.connect(tcpUri(), "rri", o)) {
            String info = p.connack().getResponseInfo();
            assertNotNull(info, "Response Information in CONNACK");
            assertFalse(info.isEmpty());
        }
        try (PahoV5 p = PahoV5.connect(tcpUri(), "no-rri", PahoV5.options())) {
            assertNull(p.connack().getResponseInfo(), "none unasked (MQTT-3.1.2-28)");
        }
    }
}
