package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.interop.ZzqClients.await;
import static zzq.interop.ZzqClients.persistent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.MonitorEvent;
import zzq.engine.Subscription;

/**
 * The durability promise of {@code zzq broker --persistence sqlite:FILE}: the broker process is killed with SIGKILL
 * twice in the middle of QoS 1 and QoS 2 streams between clients with persistent sessions, and started again on the
 * same database each time. Every message the broker acknowledged arrives (QoS 1 at least once, QoS 2 exactly once),
 * in order per topic; the clients find their sessions (Session Present) without subscribing again; a retained
 * message survives too.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ZzqCrashRecoveryTest {
    @RegisterExtension
    final ZzqBrokerProcess broker = new ZzqBrokerProcess();

    @ParameterizedTest(name = "MQTT {0}, sync={1}")
    @CsvSource({"V5, commit", "V3_1_1, commit", "V5, interval"})
    @DisplayName("SIGKILL twice mid-stream: every acknowledged message arrives, QoS 2 exactly once, in order, sessions"
            + " and retained messages restored from the SQLite file")
    void acknowledgedMessagesSurviveSigkill(MqttVersion version, String sync) throws Exception {
        int count = 20_000;
        broker.start("--persistence", "sqlite:{dir}/zzq.db?sync=" + sync,
                // no queue limit: while one client reconnects before the other, the broker holds the difference
                "--max-queued-messages", "1000000");
        String url = broker.url();
        ZzqClients.Events subEvents = new ZzqClients.Events();
        Client sub = Client.create(persistent(version, "crash-sub-" + version + sync));
        sub.onMonitorEvent(subEvents);
        List<Client> publishers = new ArrayList<>();
        List<ZzqClients.Events> pubEvents = new ArrayList<>();
        List<NumberedStreams.Publisher> streamsOut = new ArrayList<>();
        try (sub) {
            sub.connect(url);
            List<NumberedStreams.Stream> streams = NumberedStreams.subscribeBoth(sub, "crash");
            Subscription retainedProbe = null;
            try (Client setter = Client.connect(url, ZzqClients.options(version, "retainer").build())) {
                setter.publish(ApplicationMessage.builder("crash/retained").payload("kept".getBytes())
                        .qos(QoS.AT_LEAST_ONCE).retain(true).build());
            }
            for (NumberedStreams.Stream s : streams) {
                ZzqClients.Events e = new ZzqClients.Events();
                Client c = Client.create(persistent(version, "crash-pub-" + s.qos.value() + version + sync));
                c.onMonitorEvent(e);
                c.connect(url);
                publishers.add(c);
                pubEvents.add(e);
                streamsOut.add(new NumberedStreams.Publisher(c, List.of(s), count, 100).start());
            }
            List<ZzqClients.Events> all = new ArrayList<>(pubEvents);
            all.add(subEvents);
            for (int cut : new int[] {count / 10, count / 3}) {
                await("the publishers past " + cut, () -> streamsOut.stream().allMatch(p -> p.published() >= cut));
                long[] retries = all.stream().mapToLong(e -> e.count(MonitorEvent.ConnectRetried.class)).toArray();
                broker.kill();
                assertEquals(137, broker.exitCode(), "killed by SIGKILL");
                assertTrue(streamsOut.stream().allMatch(p -> p.published() < count), "killed mid-stream");
                for (int i = 0; i < all.size(); i++) {
                    all.get(i).await(MonitorEvent.ConnectRetried.class, retries[i] + 1);
                }
                broker.restart();
            }
            await(() -> "the whole streams acknowledged", () -> streamsOut.stream()
                    .allMatch(NumberedStreams.Publisher::done));
            streamsOut.forEach(NumberedStreams.Publisher::assertNoFailures);
            // a last message on each topic: anything of the stream still to come would come before it
            for (int i = 0; i < 2; i++) {
                NumberedStreams.Stream s = streams.get(i);
                publishers.get(i).publish(s.topic, Integer.toString(count).getBytes(), s.qos, false);
            }
            NumberedStreams.Stream one = streams.get(0);
            NumberedStreams.Stream two = streams.get(1);
            await(() -> "every message: " + one + ", " + two, () -> one.reached(count) && two.reached(count));
            try {
                one.assertDelivered(0, count + 1);
                two.assertDelivered(0, count + 1);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nsubscriber: " + subEvents + "\npublishers: " + pubEvents,
                        e);
            }
            assertEquals(count + 1, two.size(), "QoS 2: exactly once");

            List<ZzqClients.Events> everyone = new ArrayList<>(pubEvents);
            everyone.add(subEvents);
            for (ZzqClients.Events e : everyone) {
                List<MonitorEvent.Connected> connects = e.all(MonitorEvent.Connected.class);
                assertEquals(3, connects.size(), "the first connect and one per restart: " + e);
                assertTrue(connects.subList(1, 3).stream().allMatch(MonitorEvent.Connected::sessionPresent),
                        "each reconnect found the session the broker restored from its file: " + connects);
            }
            // the retained message set before the crashes
            try (Client late = Client.connect(url, ZzqClients.options(version, "late").build())) {
                retainedProbe = late.subscribe("crash/retained", QoS.AT_LEAST_ONCE);
                assertEquals("kept", ZzqClients.next(retainedProbe).payloadAsString());
            }
        } finally {
            for (NumberedStreams.Publisher p : streamsOut) {
                p.stop();
            }
            publishers.forEach(Client::close);
        }
    }
}
