package zzq.cli;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.Topics;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.MonitorEvent;
import zzq.engine.ReconnectPolicy;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * One {@code zzq bench} run: connects every subscriber and publisher (each a client of its own, clean session, no
 * reconnect: a lost connection is a failure of the run), subscribes, starts the publishers, prints the progress each
 * second, waits for the publishers to finish and then for the stragglers (until everything expected has come, or
 * nothing has come for the drain time), and counts.
 * Closing it closes every client.
 */
final class BenchRun implements AutoCloseable {
    /** The Receive Maximum of the subscribers: as zzq sub's, the most a broker may have unacknowledged. */
    static final int SUBSCRIBER_RECEIVE_MAXIMUM = 65_535;
    /** QoS 0 messages each subscriber's client buffers before dropping (its callback only counts). */
    static final int SUBSCRIBER_BUFFER = 100_000;
    /** {@code --persistent}'s Session Expiry Interval (5.0), should the run end before it ends its sessions. */
    static final long PERSISTENT_EXPIRY = 60;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** How often the run looks whether the publishers have finished and everything expected has come. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BenchCommand.Settings settings;
    private final Console console;
    private final int runId = RANDOM.nextInt();
    /** Makes this run's client identifiers differ from another run's. */
    private final String idSuffix = Integer.toString(RANDOM.nextInt(1 << 30), 36);
    private final List<Client> clients = new ArrayList<>();
    private final List<BenchSubscriber> subscribers = new ArrayList<>();
    private final List<BenchPublisher> publishers = new ArrayList<>();
    private final boolean[] matches;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closing;
    private QoS deliveredQos;

    private BenchRun(BenchCommand.Settings settings, Console console) {
        this.settings = settings;
        this.console = console;
        this.deliveredQos = settings.qos();
        this.matches = new boolean[settings.publishers()];
        for (int i = 0; i < matches.length; i++) {
            matches[i] = settings.subscribers() > 0 && Topics.matches(settings.filter(), settings.topic(i));
        }
    }

    /**
     * Runs the benchmark to its end.
     *
     * @throws CommandException (1) when a client cannot connect or subscribe
     */
    static BenchResult run(BenchCommand.Settings settings, Console console) throws CommandException {
        try (BenchRun run = new BenchRun(settings, console)) {
            return run.execute();
        }
    }

    private BenchResult execute() throws CommandException {
        List<Client> subscriberClients = connect("subscriber", "sub", settings.subscribers(),
                sessions(settings.client().options().toBuilder()).receiveMaximum(SUBSCRIBER_RECEIVE_MAXIMUM)
                        .subscriptionBuffer(SUBSCRIBER_BUFFER));
        List<Client> publisherClients = connect("publisher", "pub", settings.publishers(),
                sessions(settings.client().options().toBuilder()).maxQueuedPublishes(settings.window())
                        .maxQueuedBytes(Long.MAX_VALUE));
        subscribe(subscriberClients);
        long start = System.nanoTime();
        double gap = settings.rate() == 0 ? 0 : 1e9 / settings.rate(); // between two messages of all publishers
        for (int i = 0; i < settings.publishers(); i++) {
            publishers.add(new BenchPublisher(new BenchPublisher.Plan(i, settings.topic(i), settings.qos(),
                    settings.size(), runId, settings.count(i), start + (long) (i * gap),
                    (long) (gap * settings.publishers()), settings.duration() == null ? 0
                    : start + settings.duration().toNanos(), settings.duration() != null, settings.window()),
                    publisherClients.get(i)));
        }
        publishers.forEach(BenchPublisher::start);
        List<BenchResult.Second> seconds = watch(start);
        return result(start, seconds);
    }

    /** {@code --persistent}: sessions that outlive the connection, so that a broker with persistence records them. */
    private ClientOptions.Builder sessions(ClientOptions.Builder options) {
        if (!settings.persistent()) {
            return options;
        }
        options.cleanStart(false);
        return settings.client().version() == MqttVersion.V5 ? options.sessionExpiry(PERSISTENT_EXPIRY) : options;
    }

    /**
     * Ends the persistent sessions of the run (it leaves none behind in the broker): each client identifier once more,
     * with clean start, then disconnected. Failures are only reported: the run's result stands.
     */
    private void endSessions() {
        for (Client c : clients) {
            ClientOptions clean = settings.client().options().toBuilder().clientId(c.clientId()).cleanStart(true)
                    .sessionExpiry(0).reconnect(ReconnectPolicy.NEVER).build();
            try (Client ender = Client.create(clean)) {
                ender.connect(settings.client().url());
                ender.disconnect();
            } catch (RuntimeException e) {
                console.err().println("zzq bench: could not end the session of " + c.clientId() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Creates and connects {@code n} clients at once, named {@code zzq-bench-pub-INDEX-RUN} and so on.
     *
     * @throws CommandException (1) when one cannot connect
     */
    private List<Client> connect(String role, String shortRole, int n, ClientOptions.Builder options)
            throws CommandException {
        List<Client> created = new ArrayList<>();
        List<CompletableFuture<?>> connects = new ArrayList<>();
        boolean v31 = settings.client().version() == MqttVersion.V3_1;
        for (int i = 0; i < n; i++) {
            // MQTT 3.1 allows 23 characters at most
            String id = (v31 ? "zzqb-" + shortRole.charAt(0) : "zzq-bench-" + shortRole + "-") + i + "-" + idSuffix;
            Client client = Client.create(options.clientId(id).reconnect(ReconnectPolicy.NEVER).build());
            clients.add(client);
            created.add(client);
            String name = role + " " + i;
            client.onMonitorEvent(event -> {
                if (event instanceof MonitorEvent.Disconnected && !closing) {
                    lost(name, (MonitorEvent.Disconnected) event);
                }
            });
            connects.add(client.connectAsync(List.of(settings.client().url())));
        }
        long wait = settings.client().options().connectTimeout().plusSeconds(5).toNanos();
        for (int i = 0; i < n; i++) {
            awaitOrFail(connects.get(i), wait, role + " " + i + ": ", true);
        }
        return created;
    }

    /** Subscribes every subscriber and starts counting its messages. */
    private void subscribe(List<Client> subscriberClients) throws CommandException {
        List<CompletableFuture<Subscription>> answers = new ArrayList<>();
        for (Client client : subscriberClients) {
            answers.add(client.subscribeAsync(SubscribeRequest.of(settings.filter(), settings.qos())));
        }
        long wait = settings.client().options().requestTimeout().toNanos();
        for (int i = 0; i < answers.size(); i++) {
            Subscription subscription = awaitOrFail(answers.get(i), wait, "subscriber " + i + ": ", false);
            ReasonCode granted = subscription.results().get(0);
            if (granted.isError()) {
                throw CommandException.exit(CommandException.FAILURE, settings.client().quiet() ? null
                        : "the broker refused subscriber " + i + "'s subscription to " + settings.filter() + ": "
                        + Connector.describe(granted));
            }
            if (granted.value() < deliveredQos.value()) {
                deliveredQos = QoS.of(granted.value());
            }
            BenchSubscriber subscriber = new BenchSubscriber(runId, settings.publishers());
            subscribers.add(subscriber);
            subscriber.consume(subscription);
        }
    }

    /**
     * The future's value (a connect's, or else a subscribe's); a failure or timeout ends the run (exit 1) with a
     * message that names the client.
     */
    private <T> T awaitOrFail(CompletableFuture<T> future, long waitNanos, String who, boolean connecting)
            throws CommandException {
        boolean quiet = settings.client().quiet();
        try {
            return future.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = !connecting ? "cannot subscribe: " + Connector.reason(cause)
                    : Connector.connectFailure(settings.client().url(), settings.client().version(),
                    cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause),
                    false).getMessage();
            // a refusal's CONNACK code is in the message; a load generator exits 1 for every failure to connect
            throw CommandException.exit(CommandException.FAILURE, quiet ? null : who + why);
        } catch (TimeoutException e) {
            throw CommandException.exit(CommandException.FAILURE, quiet ? null
                    : who + "got no answer from " + settings.client().url() + " within "
                    + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandException.exit(CommandException.FAILURE, quiet ? null : "interrupted while connecting");
        }
    }

    /** A connection was lost mid-run: a failure of the run (the publisher stops: {@link #watch}). */
    private void lost(String name, MonitorEvent.Disconnected event) {
        String what = name + " lost its connection (" + event.detail() + ")";
        problems.add(what);
        say(what);
    }

    /**
     * Prints the progress each second until the publishers have finished and then every expected message has come
     * or the drain time is over. SIGINT or SIGTERM stops the publishers early.
     */
    private List<BenchResult.Second> watch(long start) {
        List<BenchResult.Second> seconds = new ArrayList<>();
        long nextTick = start + SECOND;
        boolean draining = false;
        long drainEnd = 0;
        long progress = -1;
        try (Wakeup wakeup = Wakeup.onSignals()) {
            while (true) {
                long now = System.nanoTime();
                // first the seconds' lines: every second that passed in the run gets one
                for (; now - nextTick >= 0; nextTick += SECOND) {
                    BenchResult.Second second = second(seconds, draining);
                    seconds.add(second);
                    say(BenchReport.progress(second));
                }
                if (!draining && publishers.stream().allMatch(BenchPublisher::finished)) {
                    draining = true;
                }
                if (draining) {
                    // the drain ends when nothing has moved for its time: a backlog still arriving is no loss
                    long moved = progress();
                    if (moved != progress) {
                        progress = moved;
                        drainEnd = now + settings.drain().toNanos();
                    }
                    if (drained() || now - drainEnd >= 0) {
                        return seconds;
                    }
                }
                // a publisher without its connection would wait for room (or its count) for ever
                publishers.stream().filter(p -> !p.connected()).forEach(BenchPublisher::stop);
                LockSupport.parkNanos(Math.min(POLL_NANOS, Math.max(1, nextTick - now)));
                if (Thread.interrupted()) {
                    say("stopping on " + (wakeup.reason() == null ? "an interrupt" : wakeup.reason())
                            + ": draining");
                    publishers.forEach(BenchPublisher::stop);
                }
            }
        }
    }

    /** The numbers of the second that just ended, after {@code before}. */
    private BenchResult.Second second(List<BenchResult.Second> before, boolean draining) {
        long sent = publishers.stream().mapToLong(BenchPublisher::sent).sum()
                - before.stream().mapToLong(BenchResult.Second::sent).sum();
        long received = subscribers.stream().mapToLong(BenchSubscriber::received).sum()
                - before.stream().mapToLong(BenchResult.Second::received).sum();
        LatencyHistogram latency = new LatencyHistogram();
        subscribers.forEach(s -> s.takeSecond(latency));
        boolean none = latency.count() == 0;
        return new BenchResult.Second(before.size() + 1, sent, received, none ? -1 : latency.percentile(50),
                none ? -1 : latency.percentile(99), none ? -1 : latency.max(), draining);
    }

    /** Publishes completed (or failed) and messages received so far: it grows while anything moves. */
    private long progress() {
        return publishers.stream().mapToLong(p -> p.sent() + p.failed()).sum()
                + subscribers.stream().mapToLong(BenchSubscriber::received).sum();
    }

    /** Whether nothing is on its way: every publish completed, and every subscriber has every message sent. */
    private boolean drained() {
        for (BenchPublisher p : publishers) {
            if (p.outstanding() > 0) {
                return false;
            }
        }
        for (BenchSubscriber s : subscribers) {
            for (int p = 0; p < matches.length; p++) {
                if (matches[p] && s.distinct(p) < publishers.get(p).sent()) {
                    return false;
                }
            }
        }
        return true;
    }

    private BenchResult result(long start, List<BenchResult.Second> seconds) {
        long sent = 0;
        long failed = 0;
        long unfinished = 0;
        long expected = 0;
        long lastCompleted = 0;
        Throwable firstError = null;
        for (int p = 0; p < publishers.size(); p++) {
            BenchPublisher publisher = publishers.get(p);
            long n = publisher.sent();
            sent += n;
            failed += publisher.failed();
            unfinished += publisher.outstanding();
            expected += matches[p] ? n * subscribers.size() : 0;
            lastCompleted = Math.max(lastCompleted, publisher.lastCompletedNanos() - start);
            firstError = firstError != null ? firstError : publisher.firstError();
        }
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        long dropped = 0;
        long foreign = 0;
        long lastReceived = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (BenchSubscriber s : subscribers) {
            received += s.received();
            duplicates += s.duplicates();
            dropped += s.droppedByClient();
            foreign += s.foreign();
            lastReceived = Math.max(lastReceived, s.lastReceivedNanos() == 0 ? 0 : s.lastReceivedNanos() - start);
            s.addTotal(latency);
            for (int p = 0; p < matches.length; p++) {
                lost += matches[p] ? Math.max(0, publishers.get(p).sent() - s.distinct(p)) : 0;
            }
        }
        List<String> why = new ArrayList<>(problems);
        if (failed > 0) {
            why.add(failed + " publish" + (failed == 1 ? "" : "es") + " failed"
                    + (firstError == null ? "" : " (" + Connector.reason(firstError) + ")"));
        }
        if (unfinished > 0) {
            why.add(unfinished + " publish" + (unfinished == 1 ? " was" : "es were")
                    + " still not completed after the drain");
        }
        if (lost > 0 && deliveredQos != QoS.AT_MOST_ONCE) {
            why.add(lost + " QoS " + deliveredQos.value() + " message" + (lost == 1 ? " was" : "s were") + " lost");
        }
        if (duplicates > 0 && deliveredQos == QoS.EXACTLY_ONCE) {
            why.add(duplicates + " QoS 2 message" + (duplicates == 1 ? "" : "s") + " came twice");
        }
        return new BenchResult(lastCompleted / 1e9, lastReceived / 1e9, sent, failed + unfinished, expected,
                received, lost, duplicates, dropped, foreign, deliveredQos, latency, seconds, why);
    }

    private void say(String message) {
        if (!settings.client().quiet()) {
            console.err().println("zzq bench: " + message);
        }
    }

    @Override
    public void close() {
        closing = true;
        publishers.forEach(BenchPublisher::stop);
        clients.forEach(Client::close);
        if (settings.persistent()) {
            endSessions();
        }
    }
}
