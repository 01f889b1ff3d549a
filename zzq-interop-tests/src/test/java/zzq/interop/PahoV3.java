package zzq.interop;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An Eclipse Paho 3.1.1 client whose received messages and lost connection the test can wait for. */
final class PahoV3 implements AutoCloseable {
    /** A message with the topic it came on. */
    record Received(String topic, MqttMessage message) {
    }

    final MqttClient client;
    final Inbox<Received> messages;
    final CompletableFuture<Throwable> lost = new CompletableFuture<>();
    private IMqttToken connectToken;

    private PahoV3(MqttClient client) {
        this.client = client;
        this.messages = new Inbox<>("Paho v3 " + client.getClientId());
    }

    /** Default options: MQTT 3.1.1, clean session, no automatic reconnect. */
    static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(cleanSession);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) BrokerFixture.WAIT_SECONDS);
        return o;
    }

    static PahoV3 create(String uri, String clientId) throws MqttException {
        MqttClient c = new MqttClient(uri, clientId, new MemoryPersistence());
        c.setTimeToWait(BrokerFixture.WAIT_SECONDS * 1000);
        PahoV3 p = new PahoV3(c);
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                p.lost.complete(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                p.messages.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // publish() waits itself
            }
        });
        return p;
    }

    static PahoV3 connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        PahoV3 p = create(uri, clientId);
        p.connectToken = p.client.connectWithResult(options);
        return p;
    }

    boolean sessionPresent() {
        return connectToken.getSessionPresent();
    }

    /** Subscribes; the granted QoS or 0x80 (128) for failure. */
    int subscribe(String filter, int qos) throws MqttException {
        try {
            return client.subscribeWithResponse(filter, qos).getGrantedQos()[0];
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                return 0x80;
            }
            throw e;
        }
    }

    /**
     * Publishes and waits. Paho signals a publish complete before it lowers its own in-flight count
     * (eclipse-paho/paho.mqtt.java#551), so the next publish can be refused with 32202 "Too many publishes in
     * progress" although none is: such a refusal is retried, within a bound.
     */
    void publish(String topic, byte[] payload, int qos, boolean retain) throws MqttException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                client.publish(topic, payload, qos, retain);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    Received next() throws InterruptedException {
        return messages.next();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(BrokerFixture.WAIT_SECONDS * 1000);
        }
        client.close(true);
    }
}
