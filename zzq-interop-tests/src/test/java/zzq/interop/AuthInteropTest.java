package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zzq.engine.BrokerOptions;
import zzq.engine.auth.AclFile;
import zzq.engine.auth.PasswordFile;

/**
 * A broker with a password file written by {@code mosquitto_passwd}, no anonymous clients, and an ACL file: the
 * Mosquitto tools, Paho and HiveMQ see the refusals their protocol version defines.
 */
class AuthInteropTest extends BrokerFixture {
    @TempDir
    static Path dir;

    @Override
    BrokerOptions options() throws Exception {
        Path passwd = dir.resolve("passwd");
        Mosquitto.require(Mosquitto.PASSWD);
        Mosquitto.Result r = Mosquitto.run(List.of(Mosquitto.PASSWD, "-c", "-b", passwd.toString(), "alice",
                "s3cret pw"));
        assertEquals(0, r.exit(), r.output());
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user alice\ntopic readwrite allowed/#\n");
        return BrokerOptions.builder().allowAnonymous(false).authenticator(PasswordFile.load(passwd))
                .authorizer(AclFile.load(acl)).build();
    }

    @Test
    @DisplayName("mosquitto_pub with the right password publishes, 3.1.1 and 5.0")
    void rightPasswordWorks() throws Exception {
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-u", "alice", "-P", "s3cret pw", "-t", "allowed/t")) {
            Mosquitto.pubOk(port, "-u", "alice", "-P", "s3cret pw", "-t", "allowed/t", "-m", "v311");
            Mosquitto.pubOk(port, "-V", "mqttv5", "-u", "alice", "-P", "s3cret pw", "-t", "allowed/t", "-m", "v5");
            // two publishers, two connections: MQTT orders messages per publisher only (4.6), so either order
            assertEquals(java.util.List.of("v311", "v5"),
                    java.util.stream.Stream.of(sub.next().text(), sub.next().text()).sorted().toList());
        }
    }

    @Test
    @DisplayName("mosquitto_pub with a wrong password is refused: 3.1.1 return code 4, 5.0 reason 0x86 (MQTT-3.2.2-6)")
    void wrongPasswordIsRefused() throws Exception {
        Mosquitto.Result v3 = Mosquitto.pub(port, "-u", "alice", "-P", "wrong", "-t", "allowed/t", "-m", "x");
        assertNotEquals(0, v3.exit(), v3.output());
        assertTrue(v3.output().toLowerCase().contains("bad user name or password"), v3.output());
        Mosquitto.Result v5 = Mosquitto.pub(port, "-V", "mqttv5", "-u", "alice", "-P", "wrong", "-t", "allowed/t",
                "-m", "x");
        assertNotEquals(0, v5.exit(), v5.output());
        assertTrue(v5.output().toLowerCase().contains("bad user name or password"), v5.output());
    }

    @Test
    @DisplayName("Paho v3: wrong password → reason 4, no user name → reason 5 (MQTT-3.2.2-6, table 3.1)")
    void pahoV3ReasonCodes() {
        MqttConnectOptions wrong = PahoV3.options(true);
        wrong.setUserName("alice");
        wrong.setPassword("wrong".toCharArray());
        MqttException bad = assertThrows(MqttException.class, () -> PahoV3.connect(tcpUri(), "p3", wrong).close());
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, bad.getReasonCode(), bad.toString());

        MqttException anonymous = assertThrows(MqttException.class,
                () -> PahoV3.connect(tcpUri(), "p3", PahoV3.options(true)).close());
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, anonymous.getReasonCode(), anonymous.toString());
    }

    @Test
    @DisplayName("Paho v5: wrong password → CONNACK 0x86")
    void pahoV5BadPassword() {
        MqttConnectionOptions o = PahoV5.options();
        o.setUserName("alice");
        o.setPassword("wrong".getBytes());
        org.eclipse.paho.mqttv5.common.MqttException e = assertThrows(
                org.eclipse.paho.mqttv5.common.MqttException.class, () -> PahoV5.connect(tcpUri(), "p5", o).close());
        assertEquals(0x86, e.getReasonCode(), e.toString());
    }

    @Test
    @DisplayName("an ACL-denied filter gets SUBACK 0x80 in 3.1.1 (Paho v3) and 0x87 in 5.0 (Paho v5, HiveMQ)"
            + " (MQTT-3.9.3)")
    void aclDeniesSubscription() throws Exception {
        MqttConnectOptions o3 = PahoV3.options(true);
        o3.setUserName("alice");
        o3.setPassword("s3cret pw".toCharArray());
        try (PahoV3 p3 = PahoV3.connect(tcpUri(), "acl3", o3)) {
            assertEquals(0x80, p3.subscribe("secret/t", 1));
            assertEquals(1, p3.subscribe("allowed/t", 1));
        }
        MqttConnectionOptions o5 = PahoV5.options();
        o5.setUserName("alice");
        o5.setPassword("s3cret pw".getBytes());
        try (PahoV5 p5 = PahoV5.connect(tcpUri(), "acl5", o5)) {
            assertEquals(0x87, p5.subscribe("secret/t", 1));
            assertEquals(1, p5.subscribe("allowed/t", 1));
        }
        Mqtt5BlockingClient h = HiveMq.v5Blocking(port, "aclh");
        h.connectWith().simpleAuth().username("alice").password("s3cret pw".getBytes()).applySimpleAuth().send();
        try {
            Mqtt5SubAck ack = h.subscribeWith().addSubscription().topicFilter("secret/t").qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription().addSubscription().topicFilter("allowed/t").qos(MqttQos.AT_LEAST_ONCE)
                    .applySubscription().send();
            assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1),
                    ack.getReasonCodes());
        } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
            assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, Mqtt5SubAckReasonCode.GRANTED_QOS_1),
                    e.getMqttMessage().getReasonCodes());
        } finally {
            h.disconnect();
        }
    }
}
