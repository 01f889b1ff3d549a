package zzq.interop;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** An Eclipse Paho 5.0 client whose received messages and server DISCONNECT the test can wait for. */
final class PahoV5 implements AutoCloseable {
    private static final long WAIT_MS = BrokerFixture.WAIT_SECONDS * 1000;

    /** A message with the topic it came on. */
    record Received(String topic, MqttMessage message) {
    }

    final MqttAsyncClient client;
    final Inbox<Received> messages;
    final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
    private IMqttToken connectToken;

    private PahoV5(MqttAsyncClient client) {
        this.client = client;
        this.messages = new Inbox<>("Paho v5 " + client.getClientId());
    }

    static MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) BrokerFixture.WAIT_SECONDS);
        return o;
    }

    static PahoV5 connect(String uri, String clientId, MqttConnectionOptions options) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        PahoV5 p = new PahoV5(c);
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                p.disconnected.complete(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                // shows up as a failed token or a disconnect
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                p.messages.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // publish() waits itself
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                // connect() waits itself
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // no enhanced authentication here
            }
        });
        p.connectToken = c.connect(options);
        p.connectToken.waitForCompletion(WAIT_MS);
        return p;
    }

    boolean sessionPresent() {
        return connectToken.getSessionPresent();
    }

    /** The properties of the CONNACK. */
    MqttProperties connack() {
        return connectToken.getResponseProperties();
    }

    /** Subscribes; the reason code of the SUBACK. */
    int subscribe(MqttSubscription subscription, MqttProperties properties) throws MqttException {
        IMqttToken t = client.subscribe(new MqttSubscription[] {subscription}, null, null, properties);
        t.waitForCompletion(WAIT_MS);
        return t.getReasonCodes()[0];
    }

    int subscribe(String filter, int qos) throws MqttException {
        return subscribe(new MqttSubscription(filter, qos), new MqttProperties());
    }

    void publish(String topic, MqttMessage message) throws MqttException {
        publishing(() -> client.publish(topic, message));
    }

    void publish(String topic, byte[] payload, int qos) throws MqttException {
        publishing(() -> client.publish(topic, payload, qos, false));
    }

    /** One publish that Paho starts. */
    private interface Start {
        IMqttToken start() throws MqttException;
    }

    /**
     * Starts a publish and waits for it. Paho signals a publish complete before it lowers its own in-flight count
     * (eclipse-paho/paho.mqtt.java#551, #993), so the next publish can be refused with 32202 "Too many publishes
     * in progress" although none is: such a refusal is retried, within the usual bound.
     */
    private static void publishing(Start publish) throws MqttException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (true) {
            try {
                publish.start().waitForCompletion(WAIT_MS);
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT || System.nanoTime() > deadline) {
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
            client.disconnect(WAIT_MS).waitForCompletion(WAIT_MS);
        }
        client.close(true);
    }
}
