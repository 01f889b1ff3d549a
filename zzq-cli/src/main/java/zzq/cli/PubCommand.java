package zzq.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import zzq.codec.QoS;
import zzq.codec.property.Properties;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientOptions;

/**
 * {@code zzq pub}: publishes one message, or one message per line of standard input, with the flags of
 * {@code mosquitto_pub}. See {@link #usage()} for the behaviour and the exit codes.
 */
final class PubCommand implements Command {
    /** The flags of this command, then the shared ones, in help order. */
    static final List<Flag> FLAGS = ClientFlags.withShared(List.of(
            Flag.value("topic", "TOPIC", "the topic to publish to").alias("t"),
            Flag.value("message", "TEXT", "publish TEXT").alias("m"),
            Flag.value("file", "FILE", "publish the file's contents as one message").alias("f"),
            Flag.toggle("stdin-line", "publish each line of standard input as one message (without its\n"
                    + "newline; an empty line is an empty message)").alias("l"),
            Flag.toggle("stdin-file", "publish all of standard input as one message").alias("s"),
            Flag.toggle("null-message", "publish an empty message").alias("n"),
            Flag.value("qos", "QOS", "0, 1 or 2 (default 0)").alias("q"),
            Flag.toggle("retain", "the broker keeps the message as the topic's retained\n"
                    + "message; an empty retained message clears it").alias("r"),
            Flag.value("repeat", "N", "publish the message N times (with -m, -f, -s or -n)"),
            Flag.value("repeat-delay", "SECONDS", "wait this long after each repeat is delivered (default 0)")));

    /** Where the message comes from: exactly one of these flags. */
    private static final List<String> SOURCES = List.of("message", "file", "stdin-line", "stdin-file",
            "null-message");

    /**
     * What the flags ask for.
     *
     * @param client      the connection's settings
     * @param source      the flag that gives the message: one of {@link #SOURCES}
     * @param template    the message without its payload: topic, QoS, retain, 5.0 properties
     * @param repeat      how many times the message is published (1 for -l)
     * @param repeatDelay the pause after each repeat
     */
    record Settings(ClientFlags.Settings client, String source, ApplicationMessage template, int repeat,
                    Duration repeatDelay) {
    }

    @Override
    public String name() {
        return "pub";
    }

    @Override
    public String summary() {
        return "publish a message, or each line of stdin, with mosquitto_pub's flags";
    }

    @Override
    public String usage() {
        return "Usage: zzq pub {-t TOPIC | -L URL} {-m TEXT | -f FILE | -l | -s | -n} [flags]\n\n"
                + "Publishes one message, or one message per line of standard input (-l), then disconnects. The\n"
                + "flags are mosquitto_pub's. With -l every line is kept: while the broker is away the client\n"
                + "reconnects and the lines wait in its queue (reading pauses while the queue is full), and at the\n"
                + "end of the input zzq pub waits until the broker has acknowledged every QoS 1 and 2 message.\n\n"
                + "Flags (-x VALUE, --flag VALUE or --flag=VALUE):\n" + Flag.table(FLAGS)
                + "\nExit status: 0 when every message was published (QoS 1 and 2: acknowledged); 1 when the\n"
                + "broker cannot be reached or refuses a message (mosquitto_pub warns and exits 0 then); 2 for\n"
                + "bad flags (mosquitto_pub: 1); " + ClientFlags.EXIT_REFUSED + ".\n";
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = ClientFlags.parse(FLAGS, args, console, usage());
        if (parsed == null) {
            return 0;
        }
        Settings settings = settings(parsed);
        byte[] payload = payload(settings, parsed, console.in());
        boolean quiet = settings.client().quiet();
        try (Connector.Connected connected = Connector.connect(name(), console, settings.client(), c -> {
        })) {
            Outbox outbox = new Outbox(connected, settings.client(), console, name());
            try {
                if (settings.source().equals("stdin-line")) {
                    LineReader lines = new LineReader(console.in());
                    for (byte[] line; (line = lines.next()) != null; ) {
                        outbox.publish(settings.template().toBuilder().payload(line).build());
                    }
                } else {
                    ApplicationMessage message = settings.template().toBuilder().payload(payload).build();
                    for (int i = 0; i < settings.repeat(); i++) {
                        if (i > 0 && !settings.repeatDelay().isZero()) {
                            Thread.sleep(settings.repeatDelay().toMillis()); // the pause the user asked for
                        }
                        outbox.publish(message);
                        outbox.awaitAll();
                    }
                }
                outbox.awaitAll();
            } catch (IOException e) {
                throw CommandException.exit(CommandException.FAILURE, quiet ? null
                        : "cannot read standard input: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CommandException.exit(CommandException.FAILURE, quiet ? null : "interrupted");
            }
            return outbox.exitCode();
        }
    }

    /**
     * Turns parsed flags into settings. Reads nothing yet: the file and standard input are read by {@link #run}.
     *
     * @throws CommandException a usage error naming the flag or value at fault
     */
    static Settings settings(Args args) throws CommandException {
        // the whole payload is held until acknowledged: the queue is bounded by its count of messages only
        ClientFlags.Settings client = ClientFlags.settings(args, List.of("connect", "will", "publish"),
                ClientOptions.builder().maxQueuedBytes(Long.MAX_VALUE).build());
        List<String> sources = SOURCES.stream().filter(args::has).toList();
        if (sources.size() != 1) {
            throw CommandException.usage(sources.isEmpty()
                    ? "give the message: -m TEXT, -f FILE, -l, -s or -n"
                    : "give one message source, not " + String.join(" and ",
                    sources.stream().map(args::label).toList()));
        }
        String source = sources.get(0);
        String topic = topic(args, client);
        QoS qos = ClientFlags.qos(args, "qos");
        Properties properties = client.properties().of("publish");
        ApplicationMessage template;
        try {
            template = ApplicationMessage.builder(topic).qos(qos).retain(args.has("retain")).properties(properties)
                    .build();
        } catch (IllegalArgumentException e) {
            throw CommandException.usage((properties.isEmpty() ? "-t: " : "-t or -D publish: ") + e.getMessage());
        }
        long repeat = args.number("repeat").orElse(1);
        Duration delay = repeatDelay(args);
        if ((args.has("repeat") || args.has("repeat-delay")) && source.equals("stdin-line")) {
            throw CommandException.usage("--repeat and --repeat-delay go with -m, -f, -s or -n, not -l");
        }
        if (repeat < 1 || repeat > Integer.MAX_VALUE) {
            throw CommandException.usage("--repeat must be at least 1, not " + repeat);
        }
        return new Settings(client, source, template, (int) repeat, delay);
    }

    private static String topic(Args args, ClientFlags.Settings client) throws CommandException {
        Optional<String> flag = args.value("topic");
        if (flag.isPresent() && client.urlTopic() != null) {
            throw CommandException.usage("-L gives the topic: give it or -t, not both");
        }
        if (flag.isEmpty() && client.urlTopic() == null) {
            throw CommandException.usage("give the topic: -t TOPIC, or -L URL ending in /TOPIC");
        }
        return flag.orElse(client.urlTopic());
    }

    private static Duration repeatDelay(Args args) throws CommandException {
        Optional<String> text = args.value("repeat-delay");
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            double seconds = Double.parseDouble(text.get().trim());
            if (seconds >= 0 && seconds <= 86_400) {
                return Duration.ofNanos((long) (seconds * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CommandException.usage("--repeat-delay must be 0 to 86400 seconds, not '" + text.get() + "'");
    }

    /** The payload of a single message: read from the file or standard input, before connecting. */
    private static byte[] payload(Settings settings, Args args, InputStream in) throws CommandException {
        switch (settings.source()) {
            case "message":
                return args.value("message").orElseThrow().getBytes(StandardCharsets.UTF_8);
            case "file":
                return readFile(args.value("file").orElseThrow());
            case "stdin-file":
                try {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw CommandException.failure("cannot read standard input: " + e.getMessage());
                }
            default:
                return new byte[0];
        }
    }

    private static byte[] readFile(String file) throws CommandException {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw CommandException.failure("cannot read '" + file + "': no such file");
        } catch (AccessDeniedException e) {
            throw CommandException.failure("cannot read '" + file + "': permission denied");
        } catch (IOException | InvalidPathException | OutOfMemoryError e) {
            throw CommandException.failure("cannot read '" + file + "': " + e.getMessage());
        }
    }

    /**
     * The lines of a stream as bytes, split at {@code \n} only (a {@code \r} stays, as with mosquitto_pub); a last
     * line without a newline counts.
     */
    static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private int start;
        private int end;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** The next line without its newline, or {@code null} at the end of the input. */
        byte[] next() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        byte[] tail = Arrays.copyOfRange(buffer, start, i);
                        start = i + 1;
                        if (line == null) {
                            return tail;
                        }
                        line.write(tail);
                        return line.toByteArray();
                    }
                }
                if (start < end) {
                    if (line == null) {
                        line = new ByteArrayOutputStream();
                    }
                    line.write(buffer, start, end - start);
                }
                start = 0;
                end = in.read(buffer);
                if (end < 0) {
                    end = 0;
                    return line == null ? null : line.toByteArray();
                }
            }
        }
    }
}
