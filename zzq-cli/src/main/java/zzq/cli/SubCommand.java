package zzq.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.Topics;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientOptions;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * {@code zzq sub}: subscribes and prints each message's payload on a line of its own, with the flags of
 * {@code mosquitto_sub}. See {@link #usage()} for the behaviour and the exit codes.
 */
final class SubCommand implements Command {
    /** The exit code when {@code -W} ends the wait: mosquitto_sub's (libmosquitto's MOSQ_ERR_TIMEOUT). */
    static final int TIMED_OUT = 27;

    /**
     * The Receive Maximum zzq sub asks for unless {@code -D connect receive-maximum} says otherwise: mosquitto_sub's
     * (libmosquitto sends none, so 65535). The client's default of 100 bounds what a slow application holds; here
     * the application only prints, and some brokers exceed a small Receive Maximum when they deliver a resumed
     * session's backlog (Mosquitto 2.0.11 does), which the client must answer with DISCONNECT 0x93.
     */
    static final int RECEIVE_MAXIMUM = 65_535;

    /** The flags of this command, then the shared ones, in help order. */
    static final List<Flag> FLAGS = ClientFlags.withShared(List.of(
            Flag.repeatable("topic", "FILTER", "the topic filter to subscribe to; repeat for more").alias("t"),
            Flag.value("qos", "QOS", "the maximum QoS to receive: 0, 1 or 2 (default 0)").alias("q"),
            Flag.toggle("verbose", "print the topic before each payload: 'topic payload'").alias("v"),
            Flag.toggle("no-newline", "print no newline after each payload").alias("N"),
            Flag.value("count", "N", "exit (0) after N messages").alias("C"),
            Flag.value("timeout", "SECONDS", "exit (" + TIMED_OUT + ") after this long, counted from the connect")
                    .alias("W"),
            Flag.toggle("no-retained", "skip retained (stale) messages; in 5.0 the broker is asked\n"
                    + "not to send them").alias("R"),
            Flag.toggle("retained-only", "print only retained messages, and exit (0) at the first\n"
                    + "message that is not retained"),
            Flag.toggle("remove-retained", "clear each retained message received (publish an empty\n"
                    + "retained message to its topic)"),
            Flag.toggle("retain-as-published", "5.0: keep the RETAIN flag as the publisher set it"),
            Flag.repeatable("filter-out", "FILTER", "skip messages whose topic matches FILTER; repeatable")
                    .alias("T"),
            Flag.repeatable("unsubscribe", "FILTER", "unsubscribe from FILTER after subscribing (for a persistent\n"
                    + "session, -c); repeatable. Without -t: unsubscribe and exit").alias("U"),
            Flag.toggle("exit-after-subscribe", "exit (0) once the broker has acknowledged the subscriptions\n"
                    + "(with -c: set up a session for later)").alias("E")));

    /**
     * What the flags ask for.
     *
     * @param client       the connection's settings
     * @param request      the SUBSCRIBE, or {@code null} with {@code -U} alone
     * @param unsubscribe  the filters of {@code -U}
     * @param filterOut    the filters of {@code -T}
     * @param verbose      {@code -v}
     * @param newline      whether a newline follows each message (not {@code -N})
     * @param count        {@code -C}, or 0 for no limit
     * @param timeout      {@code -W}, or {@code null}
     * @param noRetained   {@code -R}
     * @param retainedOnly {@code --retained-only}
     * @param removeRetained {@code --remove-retained}
     * @param exitAfterSubscribe {@code -E}
     */
    record Settings(ClientFlags.Settings client, SubscribeRequest request, List<String> unsubscribe,
                    List<String> filterOut, boolean verbose, boolean newline, long count, Duration timeout,
                    boolean noRetained, boolean retainedOnly, boolean removeRetained, boolean exitAfterSubscribe) {
    }

    @Override
    public String name() {
        return "sub";
    }

    @Override
    public String summary() {
        return "subscribe and print the messages, with mosquitto_sub's flags";
    }

    @Override
    public String usage() {
        return "Usage: zzq sub {-t FILTER... | -L URL} [flags]\n\n"
                + "Subscribes and prints each message's payload on standard output, one per line ('topic payload'\n"
                + "with -v; an empty payload prints nothing, or 'topic (null)' with -v), until -C messages, -W\n"
                + "seconds, or SIGINT/SIGTERM. The flags are mosquitto_sub's. When the connection is lost the client\n"
                + "reconnects and subscribes again (or resumes its session, with -c). As with mosquitto_sub, ending\n"
                + "on a signal or -W disconnects with reason 0x04 in 5.0, so the broker publishes the will.\n\n"
                + "Flags (-x VALUE, --flag VALUE or --flag=VALUE):\n" + Flag.table(FLAGS)
                + "\nExit status: 0 after -C messages, -E, --retained-only's first fresh message, or a signal;\n"
                + TIMED_OUT + " when -W ends the wait; 1 when the broker cannot be reached, refuses every\n"
                + "subscription, or ends the session for good; 2 for bad flags (mosquitto_sub: 1);\n"
                + ClientFlags.EXIT_REFUSED + ".\n";
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = ClientFlags.parse(FLAGS, args, console, usage());
        if (parsed == null) {
            return 0;
        }
        Settings settings = settings(parsed);
        boolean quiet = settings.client().quiet();
        // a persistent session may bring messages before the SUBSCRIBE is answered, or for filters of an earlier
        // run: asked for before connecting, they wait (unacknowledged) for this command instead of being dropped
        boolean persistent = !settings.client().options().cleanStart()
                || settings.client().options().sessionExpirySeconds() > 0;
        Subscription[] unmatched = new Subscription[1];
        try (Wakeup wakeup = Wakeup.onSignals();
             Connector.Connected connected = Connector.connect(name(), console, settings.client(), client -> {
                 if (persistent) {
                     unmatched[0] = client.unmatchedMessages();
                 }
             })) {
            connected.fatal().whenComplete((why, e) -> wakeup.wake("fatal"));
            Receiver receiver = new Receiver(settings, connected, console, unmatched[0], System.nanoTime());
            int exit;
            try {
                exit = receiver.run();
            } catch (InterruptedException e) {
                Thread.interrupted(); // the client's own waits must not see it
                String why = wakeup.reason();
                if ("fatal".equals(why)) {
                    throw connected.fatal().getNow(null);
                }
                connected.connector().debug("stopping on " + (why == null ? "an interrupt" : why));
                connected.close(true);
                return 0;
            }
            if (exit == TIMED_OUT) {
                connected.close(true);
                throw CommandException.exit(TIMED_OUT, quiet ? null : "timed out after "
                        + settings.timeout().toSeconds() + " s");
            }
            return exit;
        }
    }

    /**
     * Turns parsed flags into settings.
     *
     * @throws CommandException a usage error naming the flag or value at fault
     */
    static Settings settings(Args args) throws CommandException {
        ClientFlags.Settings client = ClientFlags.settings(args, List.of("connect", "will", "subscribe"),
                ClientOptions.builder().receiveMaximum(RECEIVE_MAXIMUM).build());
        boolean v5 = client.version().isV5();
        List<String> topics = new ArrayList<>(args.values("topic"));
        if (client.urlTopic() != null) {
            topics.add(0, client.urlTopic());
        }
        List<String> unsubscribe = args.values("unsubscribe");
        if (topics.isEmpty() && unsubscribe.isEmpty()) {
            throw CommandException.usage("give a topic filter to subscribe to: -t FILTER (or -L URL ending in "
                    + "/FILTER)");
        }
        if (args.has("no-retained") && args.has("retained-only")) {
            throw CommandException.usage("-R skips retained messages and --retained-only prints only them: not both");
        }
        if (args.has("retain-as-published") && !v5) {
            throw CommandException.usage("--retain-as-published needs MQTT 5 (-V 5)");
        }
        QoS qos = ClientFlags.qos(args, "qos");
        SubscriptionOptions options = new SubscriptionOptions(qos, false, args.has("retain-as-published"),
                args.has("no-retained") && v5 ? RetainHandling.DO_NOT_SEND : RetainHandling.SEND_ON_SUBSCRIBE);
        SubscribeRequest request = null;
        try {
            unsubscribe.forEach(Topics::checkFilter);
            args.values("filter-out").forEach(Topics::checkFilter);
            if (!topics.isEmpty()) {
                SubscribeRequest.Builder b = SubscribeRequest.builder();
                topics.forEach(t -> b.filter(t, options));
                Properties props = client.properties().of("subscribe");
                props.integer(PropertyId.SUBSCRIPTION_IDENTIFIER).ifPresent(id -> b.identifier((int) id));
                props.userProperties().forEach(u -> b.userProperty(u.name(), u.value()));
                request = b.build();
            }
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("invalid topic filter: " + e.getMessage());
        }
        long count = args.number("count").orElse(0);
        if (count < 0) {
            throw CommandException.usage("-C must be 1 or more, not " + count);
        }
        Duration timeout = null;
        if (args.has("timeout")) {
            long seconds = args.number("timeout").orElseThrow();
            if (seconds < 1 || seconds > 31_536_000) {
                throw CommandException.usage("-W must be 1 to 31536000 seconds, not " + seconds);
            }
            timeout = Duration.ofSeconds(seconds);
        }
        return new Settings(client, request, unsubscribe, args.values("filter-out"), args.has("verbose"),
                !args.has("no-newline"), count, timeout, args.has("no-retained"), args.has("retained-only"),
                args.has("remove-retained"), args.has("exit-after-subscribe") || topics.isEmpty());
    }

    /** Subscribes, then takes and prints the messages until the settings say to stop. */
    private static final class Receiver {
        private final Settings settings;
        private final Connector.Connected connected;
        private final Console console;
        private final Subscription unmatched;
        /** When -W ends the wait ({@link System#nanoTime()}); meaningless without -W. */
        private final long deadline;
        private final List<CompletableFuture<PublishResult>> removals = new ArrayList<>();
        private Subscription subscription;

        Receiver(Settings settings, Connector.Connected connected, Console console, Subscription unmatched,
                 long connectedAt) {
            this.settings = settings;
            this.connected = connected;
            this.console = console;
            this.unmatched = unmatched;
            this.deadline = settings.timeout() == null ? 0 : connectedAt + settings.timeout().toNanos();
        }

        /** Runs to the end: 0, or {@link #TIMED_OUT}; an interrupt is a signal (or a fatal end). */
        int run() throws CommandException, InterruptedException {
            subscribe();
            if (settings.exitAfterSubscribe()) {
                return 0;
            }
            long printed = 0;
            while (true) {
                ApplicationMessage m = next();
                if (m == null) {
                    if (left() <= 0) {
                        return TIMED_OUT;
                    }
                    if (!subscription.isActive()) {
                        return 0; // every filter was unsubscribed
                    }
                    continue;
                }
                if (settings.retainedOnly() && !m.retain()) {
                    return finish();
                }
                if ((settings.noRetained() && m.retain()) || filteredOut(m.topic())) {
                    continue;
                }
                if (settings.removeRetained() && m.retain()) {
                    removals.add(connected.client().publishAsync(ApplicationMessage.builder(m.topic())
                            .qos(QoS.AT_LEAST_ONCE).retain(true).build()));
                }
                print(m);
                if (console.out().checkError()) {
                    throw CommandException.exit(CommandException.FAILURE, null); // stdout closed: nobody reads
                }
                if (settings.count() > 0 && ++printed == settings.count()) {
                    return finish();
                }
            }
        }

        private void subscribe() throws CommandException {
            boolean quiet = settings.client().quiet();
            try {
                if (settings.request() != null) {
                    subscription = connected.client().subscribe(settings.request());
                    List<String> refused = new ArrayList<>();
                    List<ReasonCode> results = subscription.results();
                    for (int i = 0; i < results.size(); i++) {
                        if (results.get(i).isError()) {
                            refused.add("'" + subscription.filters().get(i) + "': "
                                    + Connector.describe(results.get(i)));
                        }
                    }
                    if (!refused.isEmpty() && refused.size() == results.size()) {
                        throw CommandException.exit(CommandException.FAILURE, quiet ? null
                                : "the broker refused every subscription: " + String.join(", ", refused));
                    }
                    if (!refused.isEmpty() && !quiet) {
                        console.err().println("zzq sub: warning: the broker refused " + String.join(", ", refused));
                    }
                    connected.connector().debug("subscribed: " + subscription.filters() + " " + results);
                }
                if (!settings.unsubscribe().isEmpty()) {
                    List<ReasonCode> answer = connected.client().unsubscribe(
                            settings.unsubscribe().toArray(new String[0]));
                    connected.connector().debug("unsubscribed: " + settings.unsubscribe() + " " + answer);
                }
            } catch (MqttClientException e) {
                throw CommandException.exit(CommandException.FAILURE, quiet ? null
                        : "cannot subscribe: " + e.getMessage());
            }
        }

        /** The next message: one a resumed session brought first, else one of the subscription's. */
        private ApplicationMessage next() throws InterruptedException {
            if (unmatched != null) {
                ApplicationMessage m = unmatched.receive(Duration.ZERO);
                if (m != null) {
                    return m;
                }
            }
            long left = left();
            if (left <= 0) {
                return null;
            }
            // with an unmatched inbox, look at it again now and then; otherwise wait for the subscription alone
            long wait = unmatched != null ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)) : left;
            return subscription.receive(Duration.ofNanos(wait));
        }

        /** Nanoseconds left until -W ends the wait; without -W, practically for ever. */
        private long left() {
            return settings.timeout() == null ? Long.MAX_VALUE : deadline - System.nanoTime();
        }

        private boolean filteredOut(String topic) {
            for (String filter : settings.filterOut()) {
                if (Topics.matches(filter, topic)) {
                    return true;
                }
            }
            return false;
        }

        /** As mosquitto_sub prints: the payload's bytes as they came, a newline unless -N. */
        private void print(ApplicationMessage m) {
            PrintStream out = console.out();
            byte[] payload = m.payloadAsBytes();
            if (settings.verbose()) {
                if (payload.length > 0) {
                    byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
                    out.write(topic, 0, topic.length);
                    out.write(' ');
                    out.write(payload, 0, payload.length);
                    newline(out);
                } else if (settings.newline()) {
                    byte[] line = (m.topic() + " (null)").getBytes(StandardCharsets.UTF_8);
                    out.write(line, 0, line.length);
                    newline(out);
                }
            } else if (payload.length > 0) {
                out.write(payload, 0, payload.length);
                newline(out);
            }
            out.flush();
        }

        private void newline(PrintStream out) {
            if (settings.newline()) {
                out.write('\n');
            }
        }

        /** The normal end: waits for the removals of retained messages, then 0. */
        private int finish() throws CommandException, InterruptedException {
            try {
                CompletableFuture.allOf(removals.toArray(new CompletableFuture<?>[0]))
                        .get(settings.client().options().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw CommandException.exit(CommandException.FAILURE, settings.client().quiet() ? null
                        : "cannot remove a retained message: " + e.getMessage());
            }
            return 0;
        }
    }
}
