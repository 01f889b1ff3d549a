package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** HiveMQ MQTT client builders aimed at the broker under test. */
final class HiveMq {
    private HiveMq() {
    }

    static Mqtt5ClientBuilder v5(int port, String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1").serverPort(port);
    }

    static Mqtt5BlockingClient v5Blocking(int port, String clientId) {
        return v5(port, clientId).buildBlocking();
    }

    static Mqtt3BlockingClient v3Blocking(int port, String clientId) {
        return MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
                .buildBlocking();
    }

    /**
     * Connects with a 300 s session expiry, subscribes to {@code topic} at QoS 1 and disconnects: a session that
     * queues messages while its client is away. Resume it with {@link #resume}.
     */
    static Mqtt5BlockingClient leaveSubscribed(int port, String clientId, String topic) {
        Mqtt5BlockingClient c = v5Blocking(port, clientId);
        c.connectWith().sessionExpiryInterval(300).send();
        c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        return c;
    }

    /** Reconnects a client left by {@link #leaveSubscribed}; its session must be present. */
    static Mqtt5BlockingClient.Mqtt5Publishes resume(Mqtt5BlockingClient c) {
        Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5ConnAck ack = c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        assertTrue(ack.isSessionPresent(), "the session was kept");
        return in;
    }

    static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes in) throws InterruptedException {
        Optional<Mqtt5Publish> p = in.receive(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(p.isPresent(), "HiveMQ received nothing within " + BrokerFixture.WAIT_SECONDS + " s");
        return p.get();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
