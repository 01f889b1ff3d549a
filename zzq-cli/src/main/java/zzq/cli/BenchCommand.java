package zzq.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import zzq.codec.QoS;
import zzq.codec.Topics;
import zzq.engine.ClientOptions;

/**
 * {@code zzq bench}: a load generator for any MQTT broker. N publishers and M subscribers, each a client of its
 * own, publish and receive stamped messages ({@link BenchStamp}); it prints the rates and latencies each second and
 * ends with a summary of what was sent, received, lost and duplicated. See {@link #usage()}.
 */
final class BenchCommand implements Command {
    /** The most publishers or subscribers one run may have (each is a client; each publisher a thread). */
    static final int MAX_CLIENTS = 10_000;
    static final String DEFAULT_TOPIC = "zzq/bench/%i";
    /** The run's length when neither -n nor -d is given. */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    static final int DEFAULT_SIZE = 64;
    static final int DEFAULT_WINDOW = 1000;

    /** The shared client flags that apply to a load generator: where the broker is and how to reach it. */
    private static final Set<String> SHARED = Set.of("host", "port", "url", "cafile", "cert", "key", "key-password",
            "insecure", "tls-version", "username", "pw", "protocol-version", "keepalive", "quiet", "help");

    /** The flags of this command, then the shared ones that apply, in help order. */
    static final List<Flag> FLAGS = flags();

    /** How the summary is written on standard output. */
    enum Format { TEXT, JSON, CSV }

    /**
     * What the flags ask for.
     *
     * @param client      the connection's settings (the client identifiers are the run's own)
     * @param publishers  how many publishers
     * @param subscribers how many subscribers
     * @param topic       the topic pattern: {@code %i} stands for the publisher's index
     * @param filter      the subscribers' topic filter
     * @param qos         the QoS of every publish and subscription
     * @param size        the payload size in bytes
     * @param rate        messages per second across all publishers; 0 for flat out
     * @param count       messages in all, or 0 when the run is timed
     * @param duration    how long the publishers publish, or {@code null} when -n counts
     * @param drain       how long the end waits for anything to move (a publish to complete, a message to come)
     * @param window      how many publishes each publisher may have outstanding
     * @param format      how the summary is written
     */
    record Settings(ClientFlags.Settings client, int publishers, int subscribers, String topic, String filter,
                    QoS qos, int size, long rate, long count, Duration duration, Duration drain, int window,
                    Format format, boolean persistent) {
        /** The topic of publisher {@code index}. */
        String topic(int index) {
            return topic.replace("%i", Integer.toString(index));
        }

        /** How many messages publisher {@code index} sends, or {@link Long#MAX_VALUE} in a timed run. */
        long count(int index) {
            return count == 0 ? Long.MAX_VALUE : count / publishers + (index < count % publishers ? 1 : 0);
        }
    }

    private static List<Flag> flags() {
        List<Flag> all = new ArrayList<>(List.of(
                Flag.value("publishers", "N", "how many publishers, each a client (default 1)"),
                Flag.value("subscribers", "M", "how many subscribers, each a client (default 1; 0 for none)"),
                Flag.value("topic", "PATTERN", "the topic each publisher publishes to; %i stands for its index\n"
                        + "from 0 (default " + DEFAULT_TOPIC + ")").alias("t"),
                Flag.value("filter", "FILTER", "the subscribers' filter (default: the pattern with each level\n"
                        + "that holds %i replaced by +)"),
                Flag.value("qos", "QOS", "0, 1 or 2, of the publishes and subscriptions (default 0)").alias("q"),
                Flag.value("size", "BYTES", "the payload size, at least " + BenchStamp.LENGTH + " (default "
                        + DEFAULT_SIZE + ")").alias("s"),
                Flag.value("rate", "MSG_PER_S", "messages per second across all publishers (default 0: flat out)"),
                Flag.value("count", "N", "publish N messages in all, shared among the publishers").alias("n"),
                Flag.value("duration", "SECONDS", "publish for this long (default "
                        + DEFAULT_DURATION.toSeconds() + "); not with -n").alias("d"),
                Flag.value("drain", "SECONDS", "at the end, wait for messages still on their way until all\n"
                        + "have come or none has come for this long (default "
                        + DEFAULT_DRAIN.toSeconds() + ")"),
                Flag.value("window", "N", "publishes each publisher has outstanding at most (default "
                        + DEFAULT_WINDOW + ")"),
                Flag.toggle("persistent", "persistent sessions (clean start off; 5.0: Session Expiry 60 s), as a\n"
                        + "broker with persistence records them; ended after the run"),
                Flag.toggle("json", "write the summary as one JSON object (with every second's numbers)"),
                Flag.toggle("csv", "write the summary as CSV: a header line and one row")));
        for (Flag f : ClientFlags.FLAGS) {
            if (SHARED.contains(f.name())) {
                all.add(f);
            }
        }
        // -d is the duration here, as in other load generators; debug logging keeps its long name
        all.add(all.size() - 2, Flag.toggle("debug", "debug logging on stderr"));
        return List.copyOf(all);
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "load-test an MQTT broker: publishers, subscribers, rates, loss, latency";
    }

    @Override
    public String usage() {
        return "Usage: zzq bench [-h HOST] [-p PORT | -L URL] [flags]\n\n"
                + "Runs N publishers and M subscribers, each a client of its own, against any MQTT broker (over\n"
                + "mqtt://, mqtts://, ws://, wss:// or ipc://: give the URL with -L). Each payload carries its\n"
                + "publisher, a sequence number and its send time, so each subscriber counts what it lost and\n"
                + "received twice, per publisher, and measures the latency from the publisher's handing the\n"
                + "message to its client to the subscriber's receiving it. Every subscriber whose filter matches\n"
                + "a publisher's topic is expected to get all its messages: expected = sent x subscribers.\n"
                + "The publishers publish flat out (at most --window messages outstanding each) or at --rate,\n"
                + "until -n messages are sent or -d seconds have passed. Then zzq bench waits for the rest, and\n"
                + "stops when every expected message has come or nothing has moved for --drain seconds. A message\n"
                + "is sent when the client completes it: QoS 0 written, QoS 1 acknowledged, QoS 2 completed.\n"
                + "Ctrl-C stops publishing early, then drains.\n\n"
                + "Each second a line on stderr (not with --quiet) gives the rates and the latency of that second;\n"
                + "the summary goes to stdout: as text, --json (one object; its \"seconds\" array repeats each\n"
                + "second's numbers), or --csv (a header line and a row). It states the settings, then sent,\n"
                + "failed, expected, received, lost, duplicates, the rates, and latency p50, p90, p99 and max.\n"
                + "Lost counts, per subscriber and publisher, the sent messages that had not come by the end,\n"
                + "including QoS 0 messages the subscriber's own client dropped when its buffer of "
                + BenchRun.SUBSCRIBER_BUFFER + "\n"
                + "was full (also shown apart). Duplicates are found among the last " + SeenSequences.WINDOW
                + " sequence\nnumbers of each publisher (32 KiB at most per subscriber and publisher); an older\n"
                + "straggler counts as one.\n\n"
                + "Flags (-x VALUE, --flag VALUE or --flag=VALUE):\n" + Flag.table(FLAGS)
                + "\nExit status: 0 when the run completed, even with QoS 0 messages lost (the summary tells);\n"
                + "1 when a client cannot connect or subscribe, a connection is lost, a publish fails or is still\n"
                + "unacknowledged after the drain, a QoS 1 or 2 message is lost (acknowledged data must not\n"
                + "vanish), or a QoS 2 message comes twice; 2 for bad flags.\n";
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = ClientFlags.parse(FLAGS, args, console, usage());
        if (parsed == null) {
            return 0;
        }
        Settings settings = settings(parsed);
        BenchResult result = BenchRun.run(settings, console);
        console.out().print(BenchReport.write(settings, result));
        console.out().flush();
        List<String> problems = result.problems();
        if (!problems.isEmpty()) {
            throw CommandException.exit(CommandException.FAILURE, settings.client().quiet() ? null
                    : String.join("; ", problems));
        }
        return 0;
    }

    /**
     * Turns parsed flags into settings.
     *
     * @throws CommandException a usage error naming the flag or value at fault
     */
    static Settings settings(Args args) throws CommandException {
        ClientFlags.Settings client = ClientFlags.settings(args, List.of("connect"), ClientOptions.DEFAULTS);
        int publishers = (int) range(args, "publishers", 1, 1, MAX_CLIENTS);
        int subscribers = (int) range(args, "subscribers", 1, 0, MAX_CLIENTS);
        QoS qos = ClientFlags.qos(args, "qos");
        int size = (int) range(args, "size", DEFAULT_SIZE, BenchStamp.LENGTH, 268_435_455);
        long rate = range(args, "rate", 0, 0, Integer.MAX_VALUE);
        int window = (int) range(args, "window", DEFAULT_WINDOW, 1, 1_000_000);
        if (args.has("count") && args.has("duration")) {
            throw CommandException.usage("give -n (a count) or -d (a duration), not both");
        }
        long count = range(args, "count", 0, 1, Long.MAX_VALUE);
        Duration duration = args.has("count") ? null
                : seconds(args, "duration", DEFAULT_DURATION, Duration.ofMillis(1), Duration.ofDays(365));
        Duration drain = seconds(args, "drain", DEFAULT_DRAIN, Duration.ZERO, Duration.ofDays(1));
        if (args.has("json") && args.has("csv")) {
            throw CommandException.usage("give --json or --csv, not both");
        }
        Format format = args.has("json") ? Format.JSON : args.has("csv") ? Format.CSV : Format.TEXT;
        String topic = topic(args, client);
        String filter = filter(args, topic);
        Settings settings = new Settings(client, publishers, subscribers, topic, filter, qos, size, rate, count,
                duration, drain, window, format, args.has("persistent"));
        if (subscribers > 0 && matching(settings) == 0) {
            throw CommandException.usage("--filter " + filter + " matches none of the publishers' topics");
        }
        return settings;
    }

    /** How many publishers' topics the subscribers' filter matches. */
    static int matching(Settings settings) {
        int n = 0;
        for (int i = 0; i < settings.publishers(); i++) {
            n += Topics.matches(settings.filter(), settings.topic(i)) ? 1 : 0;
        }
        return n;
    }

    private static String topic(Args args, ClientFlags.Settings client) throws CommandException {
        Optional<String> flag = args.value("topic");
        if (flag.isPresent() && client.urlTopic() != null) {
            throw CommandException.usage("-L gives the topic: give it or -t, not both");
        }
        String topic = flag.orElse(client.urlTopic() != null ? client.urlTopic() : DEFAULT_TOPIC);
        try {
            Topics.checkName(topic.replace("%i", "0"));
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("-t: " + e.getMessage());
        }
        return topic;
    }

    /** {@code --filter}, or the pattern with each level that holds {@code %i} replaced by {@code +}. */
    private static String filter(Args args, String topic) throws CommandException {
        String filter = args.value("filter").orElse(null);
        if (filter == null) {
            List<String> levels = new ArrayList<>();
            for (String level : topic.split("/", -1)) {
                levels.add(level.contains("%i") ? "+" : level);
            }
            filter = String.join("/", levels);
        }
        try {
            Topics.checkFilter(filter);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("--filter: " + e.getMessage());
        }
        if (Topics.isShared(filter)) {
            // a shared subscription gives each message to one subscriber, not to each: the counts would be wrong
            throw CommandException.usage("--filter: shared subscriptions ($share/...) are not supported: every "
                    + "subscriber must get every message");
        }
        return filter;
    }

    /** A whole-number flag within a range, or its default. */
    private static long range(Args args, String name, long byDefault, long min, long max) throws CommandException {
        long n = args.number(name).orElse(byDefault);
        if (args.has(name) && (n < min || n > max)) {
            throw CommandException.usage(args.label(name) + " must be " + min + " to " + max + ", not " + n);
        }
        return n;
    }

    /** A flag in seconds (a decimal number) within a range, or its default. */
    private static Duration seconds(Args args, String name, Duration byDefault, Duration min, Duration max)
            throws CommandException {
        Optional<String> text = args.value(name);
        if (text.isEmpty()) {
            return byDefault;
        }
        try {
            double seconds = Double.parseDouble(text.get().trim());
            if (seconds * 1e9 >= min.toNanos() && seconds * 1e9 <= max.toNanos()) {
                return Duration.ofNanos(Math.round(seconds * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.usage(args.label(name) + " must be " + decimal(min) + " to " + max.toSeconds()
                + " seconds, not '" + text.get() + "'");
    }

    private static String decimal(Duration d) {
        return d.toNanos() % 1_000_000_000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toNanos() / 1e9);
    }
}
