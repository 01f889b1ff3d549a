package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.interop.ZzqClients.await;
import static zzq.interop.ZzqClients.options;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.PublishResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * The zzq client when its application falls behind or calls back into it, against a real Mosquitto and against
 * the zzq broker: memory stays bounded while a subscriber's callback is stalled under a flood, and a callback that
 * blocks on the client (publishes, subscribes) does not deadlock it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientBackpressureTest {
    /** The broker the client talks to. */
    enum Peer { MOSQUITTO, ZZQ }

    private static final int WINDOW = 5;
    private static final int BUFFER = 20;

    @RegisterExtension
    final MosquittoBroker mosquitto = new MosquittoBroker();
    private Broker zzq;

    /** Starts the broker; both send a client at most {@link #WINDOW} unacknowledged QoS 1 messages. */
    private String start(Peer peer) {
        if (peer == Peer.MOSQUITTO) {
            // Mosquitto 2.0.11 keeps a 5.0 client's Receive Maximum only when max_inflight_messages is not above
            // it (it overshoots otherwise: see MosquittoClientV5Test); its queue must hold the flood
            return mosquitto.start(MosquittoBroker.config().set("max_inflight_messages", WINDOW)
                    .set("max_queued_messages", 100_000)).url();
        }
        zzq = Broker.start(BrokerOptions.builder().maxQueuedMessages(100_000).build());
        return zzq.bind("mqtt://127.0.0.1:0").toString();
    }

    @AfterEach
    void stopZzq() {
        if (zzq != null) {
            zzq.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    @DisplayName("a stalled subscriber under a QoS 1 and QoS 0 flood buffers at most subscriptionBuffer +"
            + " receiveMaximum messages, counts the QoS 0 it drops, and gets every QoS 1 message once it resumes"
            + " (MQTT-3.3.4-9 holds the broker to the window)")
    void memoryStaysBoundedWhileTheApplicationStalls(Peer peer) throws Exception {
        String url = start(peer);
        int qos1 = 400;
        int qos0 = 2000;
        CountDownLatch resume = new CountDownLatch(1);
        List<Integer> reliable = new CopyOnWriteArrayList<>();
        AtomicInteger unreliable = new AtomicInteger();
        AtomicInteger mostBuffered = new AtomicInteger();
        try (Client sub = Client.connect(url, options(MqttVersion.V5, "stalled").receiveMaximum(WINDOW)
                .subscriptionBuffer(BUFFER).build());
             Client pub = Client.connect(url, options(MqttVersion.V5, "flooder").build())) {
            Subscription s = sub.subscribe("flood/#", QoS.AT_LEAST_ONCE);
            s.onMessage(m -> {
                try {
                    resume.await(ZzqClients.WAIT.toSeconds(), TimeUnit.SECONDS); // the application stalls
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (m.qos() == QoS.AT_MOST_ONCE) {
                    unreliable.incrementAndGet();
                } else {
                    reliable.add(Integer.parseInt(m.payloadAsString()));
                }
            });
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    mostBuffered.accumulateAndGet(s.buffered(), Math::max);
                }
            }, "buffer-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try {
                List<CompletableFuture<PublishResult>> acked = new ArrayList<>();
                for (int i = 0, j = 0; i < qos1 || j < qos0; ) {
                    if (i < qos1) {
                        acked.add(pub.publishAsync(ApplicationMessage.builder("flood/1").payload(Integer.toString(i++))
                                .qos(QoS.AT_LEAST_ONCE).build()));
                    }
                    for (int k = 0; k < 5 && j < qos0; k++, j++) {
                        pub.publish("flood/0", new byte[64], QoS.AT_MOST_ONCE, false);
                    }
                }
                CompletableFuture.allOf(acked.toArray(new CompletableFuture<?>[0]))
                        .get(ZzqClients.WAIT.toSeconds(), TimeUnit.SECONDS);
                // the broker took everything; the client holds its window and its buffer, and drops QoS 0
                await(() -> "QoS 0 drops; buffered " + s.buffered(), () -> s.droppedMessages() > 0);
                assertTrue(mostBuffered.get() <= BUFFER + WINDOW, "buffered at most " + mostBuffered.get());
                assertTrue(reliable.isEmpty() && unreliable.get() == 0, "the application took nothing yet");
                mostBuffered.set(0);

                resume.countDown();
                await(() -> "every QoS 1 message; " + reliable.size() + " so far",
                        () -> reliable.size() >= qos1);
            } finally {
                sampler.interrupt();
                sampler.join(5_000);
            }
            if (peer == Peer.ZZQ) {
                // Mosquitto 2.0.11 overshoots the window once acknowledgements and new messages cross (see
                // MosquittoClientV5Test), and the client takes what it is sent: the bound holds only while stalled
                assertTrue(mostBuffered.get() <= BUFFER + WINDOW, "buffered at most " + mostBuffered.get());
            }
            List<Integer> distinct = reliable.stream().distinct().sorted().toList();
            assertEquals(qos1, distinct.size(), "every QoS 1 message");
            assertEquals(qos1 - 1, distinct.get(qos1 - 1));
            long dropped = s.droppedMessages();
            assertTrue(unreliable.get() + dropped <= qos0, unreliable + " received and " + dropped + " dropped of "
                    + qos0);
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    @DisplayName("a callback may block on the client: it publishes at QoS 1 and 2 and waits for the"
            + " acknowledgement, subscribes and unsubscribes, while its own message is unacknowledged and the"
            + " window is 1; no deadlock (waiting inside it for another message would be one: the window is full)")
    void callbacksCanCallTheClient(Peer peer) throws Exception {
        String url = start(peer);
        int hops = 20;
        AtomicLong seen = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Client c = Client.connect(url, options(MqttVersion.V5, "reentrant").receiveMaximum(1).build())) {
            Subscription chain = c.subscribe(SubscribeRequest.builder().filter("hop/#", QoS.EXACTLY_ONCE).build());
            chain.onMessage(m -> {
                int n = Integer.parseInt(m.payloadAsString());
                seen.incrementAndGet();
                if (n == hops) {
                    return;
                }
                try {
                    // each call blocks this callback thread until the broker answers; the answers are not
                    // messages, so the full window (this message is not acknowledged yet) does not hold them
                    Subscription extra = c.subscribe("extra/" + n, QoS.AT_LEAST_ONCE);
                    c.publish("extra/" + n, "x".getBytes(), QoS.EXACTLY_ONCE, false);
                    extra.unsubscribe();
                    c.publish("hop/" + (n + 1), Integer.toString(n + 1).getBytes(),
                            n % 2 == 0 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE, false);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            });
            c.publish("hop/0", "0".getBytes(), QoS.AT_LEAST_ONCE, false);
            await(() -> "the whole chain; " + seen.get() + " hops, failures " + failures,
                    () -> seen.get() == hops + 1 || !failures.isEmpty());
            assertTrue(failures.isEmpty(), failures.toString());
        }
    }
}
