package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.interop.ZzqClients.await;
import static zzq.interop.ZzqClients.persistent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.Subscription;

/**
 * The zzq client's QoS promises across a real broker restart: Mosquitto with persistence on is stopped and
 * started again in the middle of QoS 1 and QoS 2 streams, and the clients (persistent sessions, reconnect on)
 * find it again by themselves.
 *
 * <p>What Mosquitto can promise decides what is checked. It writes its persistence file at a graceful stop
 * (SIGTERM) and at its autosave points, nowhere else; so across SIGTERM every message must arrive as its QoS
 * promises, while after SIGKILL (a crash) Mosquitto restarts from its last save, which here holds nothing: the
 * sessions and what was in flight are gone by design, and only the client's recovery can be checked.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoRestartTest {
    @RegisterExtension
    final MosquittoBroker mosquitto = new MosquittoBroker();

    /**
     * A persistent subscriber with one message in flight towards it, as the broker has: with a 5.0 Receive
     * Maximum above max_inflight_messages, Mosquitto 2.0.11 sends more than either, reorders, and after a restart
     * sends QoS 2 messages again whose exchange had completed (PUBCOMP) before it, as a {@link RecordingRelay}
     * in front of the subscriber showed.
     */
    private static ClientOptions subscriber(MqttVersion version, String clientId) {
        ClientOptions o = persistent(version, clientId);
        return version.isV5() ? o.toBuilder().receiveMaximum(1).build() : o;
    }

    private static MosquittoBroker.Config persistentBroker() {
        return MosquittoBroker.config().persistence(0)
                // Mosquitto keeps a topic's order only with one message in flight per client (its manual says so;
                // with the default 20 it reorders under load, restart or not); its CONNACK then says Receive
                // Maximum 1 to 5.0 clients
                .set("max_inflight_messages", 1)
                // no queue limit: while one client reconnects before the other, the broker holds the difference
                .set("max_queued_messages", 1_000_000);
    }

    /** A publisher client per stream, each with its own persistent session and monitor. */
    private record Publishers(List<Client> clients, List<NumberedStreams.Publisher> streams,
                              List<ZzqClients.Events> events) implements AutoCloseable {
        static Publishers start(String url, MqttVersion version, String name, List<NumberedStreams.Stream> streams,
                                int count, int window) {
            List<Client> clients = new ArrayList<>();
            List<NumberedStreams.Publisher> publishers = new ArrayList<>();
            List<ZzqClients.Events> events = new ArrayList<>();
            for (NumberedStreams.Stream s : streams) {
                ZzqClients.Events e = new ZzqClients.Events();
                Client c = Client.create(persistent(version, name + "-" + s.qos.value()));
                c.onMonitorEvent(e);
                clients.add(c);
                events.add(e);
                c.connect(url);
                publishers.add(new NumberedStreams.Publisher(c, List.of(s), count, window).start());
            }
            return new Publishers(clients, publishers, events);
        }

        int published() {
            return streams.stream().mapToInt(NumberedStreams.Publisher::published).min().orElse(0);
        }

        boolean done() {
            return streams.stream().allMatch(NumberedStreams.Publisher::done);
        }

        @Override
        public void close() throws InterruptedException {
            for (NumberedStreams.Publisher p : streams) {
                p.stop();
            }
            clients.forEach(Client::close);
        }
    }

    @BothVersions
    @DisplayName("Mosquitto stopped (SIGTERM, persistence saved) and restarted twice in the middle of a QoS 1 and"
            + " a QoS 2 stream: QoS 1 at least once, QoS 2 exactly once, order kept per topic, the clients"
            + " reconnecting and resuming their sessions by themselves (MQTT-4.3.2, 4.3.3, 4.4, 4.6)")
    void streamsSurviveGracefulRestarts(MqttVersion version) throws Exception {
        int count = 2000;
        mosquitto.start(persistentBroker());
        ZzqClients.Events subEvents = new ZzqClients.Events();
        Client sub = Client.create(subscriber(version, "stream-sub-" + version));
        sub.onMonitorEvent(subEvents);
        try (sub) {
            sub.connect(mosquitto.url());
            List<NumberedStreams.Stream> streams = NumberedStreams.subscribeBoth(sub, "stream");
            NumberedStreams.Stream one = streams.get(0);
            NumberedStreams.Stream two = streams.get(1);
            // 5.0 publishers learn Mosquitto's window from CONNACK and queue behind it; a 3.1.1 client cannot, and
            // Mosquitto drops a 3.1.1 client's publishes past it, so the application keeps one in flight
            try (Publishers pubs = Publishers.start(mosquitto.url(), version, "stream-pub-" + version,
                    streams, count, version.isV5() ? 100 : 1)) {
                List<ZzqClients.Events> all = new java.util.ArrayList<>(pubs.events());
                all.add(subEvents);
                for (int cut : new int[] {count / 4, 2 * count / 3}) {
                    await("the publishers past " + cut, () -> pubs.published() >= cut);
                    long[] retries = all.stream().mapToLong(e -> e.count(MonitorEvent.ConnectRetried.class))
                            .toArray();
                    long saves = mosquitto.count("Saving in-memory database");
                    mosquitto.stop();
                    assertEquals(saves + 1, mosquitto.count("Saving in-memory database"), "saved at SIGTERM");
                    int publishedAtStop = pubs.published();
                    int unacknowledgedAtStop = pubs.clients().stream().mapToInt(Client::queuedPublishes).sum();
                    assertTrue(publishedAtStop < count, "stopped mid-stream: " + publishedAtStop);
                    assertTrue(unacknowledgedAtStop > 0, "publishes were under way at the stop");
                    // each client: the connection loss, then at least one refused dial, while Mosquitto is down
                    for (int i = 0; i < all.size(); i++) {
                        all.get(i).await(MonitorEvent.ConnectRetried.class, retries[i] + 2);
                    }
                    assertFalse(sub.isConnected());
                    mosquitto.restart();
                }
                await(() -> "the whole streams acknowledged; published " + pubs.published(), pubs::done);
                pubs.streams().forEach(NumberedStreams.Publisher::assertNoFailures);
                // a last message on each topic: anything of the stream still to come would come before it
                for (int i = 0; i < 2; i++) {
                    NumberedStreams.Stream s = streams.get(i);
                    pubs.clients().get(i).publish(s.topic, Integer.toString(count).getBytes(), s.qos, false);
                }
                await(() -> "every message: " + one + ", " + two, () -> one.reached(count) && two.reached(count));
                one.assertDelivered(0, count + 1);
                two.assertDelivered(0, count + 1);
                assertEquals(count + 1, two.size(), "QoS 2: exactly once");

                for (ZzqClients.Events e : all) {
                    List<MonitorEvent.Connected> connects = e.all(MonitorEvent.Connected.class);
                    assertEquals(3, connects.size(), "the first connect and one per restart: " + e);
                    assertTrue(connects.subList(1, 3).stream().allMatch(MonitorEvent.Connected::sessionPresent),
                            "each reconnect resumed the session Mosquitto restored from its file: " + connects);
                    assertEquals(2, e.count(MonitorEvent.Disconnected.class), e.toString());
                }
            }
        }
    }

    @Test
    @DisplayName("Mosquitto killed (SIGKILL) mid-stream loses what it had not saved, sessions included; the 5.0"
            + " clients notice no Session Present, subscribe again and re-send by themselves, and the streams"
            + " go on in order, QoS 2 never twice, complete from the moment the subscription is back")
    void clientsRecoverFromACrashThatLostTheirSessions() throws Exception {
        int count = 3000;
        mosquitto.start(persistentBroker());
        ZzqClients.Events subEvents = new ZzqClients.Events();
        ZzqClients.Events pubEvents = new ZzqClients.Events();
        Client sub = Client.create(subscriber(MqttVersion.V5, "crash-sub"));
        Client pub = Client.create(persistent(MqttVersion.V5, "crash-pub"));
        sub.onMonitorEvent(subEvents);
        pub.onMonitorEvent(pubEvents);
        try (sub; pub) {
            sub.connect(mosquitto.url());
            pub.connect(mosquitto.url());
            List<NumberedStreams.Stream> streams = NumberedStreams.subscribeBoth(sub, "crash");
            NumberedStreams.Stream one = streams.get(0);
            NumberedStreams.Stream two = streams.get(1);
            Subscription probes = sub.subscribe("crash/probe", QoS.AT_MOST_ONCE);
            NumberedStreams.Publisher publisher = new NumberedStreams.Publisher(pub, streams, count, 50)
                    .start();
            int mark;
            try {
                await("the publisher past " + count / 5, () -> publisher.published() >= count / 5);
                mosquitto.kill();
                publisher.pause();
                assertEquals(0, mosquitto.count("Saving in-memory database"), "a crash saves nothing");
                assertTrue(publisher.published() < count, "killed mid-stream");
                subEvents.await(MonitorEvent.ConnectRetried.class, 2);
                pubEvents.await(MonitorEvent.ConnectRetried.class, 2);
                mosquitto.restart();
                subEvents.await(MonitorEvent.Connected.class, 2);
                pubEvents.await(MonitorEvent.Connected.class, 2);
                assertFalse(subEvents.all(MonitorEvent.Connected.class).get(1).sessionPresent(), "nothing saved");
                assertFalse(pubEvents.all(MonitorEvent.Connected.class).get(1).sessionPresent(), "nothing saved");
                // the subscriber subscribes again by itself; a probe through it shows when that is done
                await("the subscriber's subscriptions back", () -> {
                    pub.publishAsync(ApplicationMessage.of("crash/probe", "probe"));
                    return probes.buffered() > 0;
                });
                publisher.awaitParked();
                mark = publisher.published();
                publisher.resume();
                await(() -> "the whole stream acknowledged; published " + publisher.published(), publisher::done);
                publisher.assertNoFailures();
            } finally {
                publisher.stop();
            }
            await(() -> "the stream from " + mark + ": " + one + ", " + two,
                    () -> one.reached(count - 1) && two.reached(count - 1));
            one.assertDelivered(mark, count);
            two.assertDelivered(mark, count);
        }
    }
}
