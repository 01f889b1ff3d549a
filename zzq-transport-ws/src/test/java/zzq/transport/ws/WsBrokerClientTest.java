package zzq.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.Subscription;

/**
 * The zzq Broker and the zzq Client over {@code ws://}, the transport found by its scheme as any plugin is: every
 * QoS in 5.0 and 3.1.1, messages larger than a frame both ways, bursts that share frames, and a wrong path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WsBrokerClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private Broker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Endpoint start(BrokerOptions options, TransportOptions ws) {
        broker = Broker.start(options);
        return broker.bind("ws://127.0.0.1:0/mqtt", ws);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V5", "V3_1_1"})
    void everyQosBothWays(MqttVersion version) throws Exception {
        Endpoint at = start(BrokerOptions.DEFAULTS, TransportOptions.NONE);
        assertEquals("ws", at.scheme());
        ClientOptions o = ClientOptions.builder().version(version).build();
        try (Client sub = Client.connect(at.toString(), o); Client pub = Client.connect(at.toString(), o)) {
            Subscription s = sub.subscribe("ws/#", QoS.EXACTLY_ONCE);
            for (QoS q : QoS.values()) {
                PublishResult r = pub.publish("ws/" + q.value(), ("over ws " + q).getBytes(), q, false);
                assertEquals(ReasonCode.SUCCESS, r.reasonCode());
                ApplicationMessage m = s.receive(WAIT);
                assertNotNull(m, "QoS " + q + " in " + version);
                assertEquals("ws/" + q.value(), m.topic());
                assertEquals("over ws " + q, m.payloadAsString());
                assertEquals(q, m.qos());
            }
        }
    }

    @Test
    @DisplayName("a message three times the frame limit goes both ways, in several frames")
    void largerThanAFrame() throws Exception {
        int frame = 64 * 1024;
        TransportOptions ws = TransportOptions.NONE.with(WsOptions.MAX_FRAME_SIZE, frame);
        Endpoint at = start(BrokerOptions.builder().maxPacketSize(4 * 1024 * 1024).build(), ws);
        ClientOptions o = ClientOptions.builder().transportOptions(ws).build();
        byte[] big = new byte[3 * frame + 123];
        new Random(42).nextBytes(big);
        try (Client sub = Client.connect(at.toString(), o); Client pub = Client.connect(at.toString(), o)) {
            Subscription s = sub.subscribe("big", QoS.AT_LEAST_ONCE);
            pub.publish("big", big, QoS.AT_LEAST_ONCE, false);
            ApplicationMessage m = s.receive(WAIT);
            assertNotNull(m);
            ByteBuffer payload = m.payload();
            byte[] got = new byte[payload.remaining()];
            payload.get(got);
            assertArrayEquals(big, got);
        }
    }

    @Test
    @DisplayName("a burst of small messages, many per frame, arrives whole and in order")
    void burst() throws Exception {
        int n = 2000;
        // the publisher and the broker hold them all for the slower subscriber (their default queues are smaller)
        Endpoint at = start(BrokerOptions.builder().maxQueuedMessages(n).build(), TransportOptions.NONE);
        try (Client sub = Client.connect(at.toString(), ClientOptions.DEFAULTS);
             Client pub = Client.connect(at.toString(), ClientOptions.builder().maxQueuedPublishes(n).build())) {
            Subscription s = sub.subscribe("burst", QoS.AT_LEAST_ONCE);
            List<java.util.concurrent.CompletableFuture<PublishResult>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(pub.publishAsync(ApplicationMessage.builder("burst").payload(Integer.toString(i).getBytes())
                        .qos(QoS.AT_LEAST_ONCE).build()));
            }
            for (int i = 0; i < n; i++) {
                ApplicationMessage m = s.receive(WAIT);
                assertNotNull(m, "message " + i);
                assertEquals(Integer.toString(i), m.payloadAsString());
            }
            sent.forEach(f -> assertEquals(ReasonCode.SUCCESS, f.join().reasonCode()));
        }
    }

    @Test
    @DisplayName("a client dialing a path the broker does not serve fails to connect and says why")
    void wrongPath() {
        Endpoint at = start(BrokerOptions.DEFAULTS, TransportOptions.NONE);
        String url = "ws://127.0.0.1:" + at.port() + "/elsewhere";
        MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(url,
                ClientOptions.builder().connectTimeout(WAIT).build()));
        String all = e + " " + e.getCause();
        assertTrue(all.contains("404"), all);
    }

    @Test
    @DisplayName("a disconnect over ws ends the broker's connection as a normal disconnect")
    void cleanDisconnect() throws Exception {
        Endpoint at = start(BrokerOptions.DEFAULTS, TransportOptions.NONE);
        List<MonitorEvent.Disconnected> ended = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch gone = new java.util.concurrent.CountDownLatch(1);
        broker.onMonitorEvent(e -> {
            if (e instanceof MonitorEvent.Disconnected d) {
                ended.add(d);
                gone.countDown();
            }
        });
        Client c = Client.connect(at.toString(), ClientOptions.builder().clientId("ws-bye").build());
        c.disconnect();
        assertTrue(gone.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("ws-bye", ended.get(0).clientId());
        assertEquals(ReasonCode.NORMAL_DISCONNECTION, ended.get(0).reasonCode(), ended.toString());
        c.close();
    }
}
