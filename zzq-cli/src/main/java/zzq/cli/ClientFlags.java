package zzq.cli;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientAuthentication;
import zzq.engine.ClientOptions;

/**
 * The flags {@code zzq pub} and {@code zzq sub} share, named as in {@code mosquitto_pub} and {@code mosquitto_sub}:
 * where the broker is, who the client is, its session and its will; and how they become {@link ClientOptions}.
 */
final class ClientFlags {
    /** Never expires: the 5.0 Session Expiry Interval {@code 0xFFFFFFFF}. */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;
    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = 1883;
    /** The port with any TLS flag (MQTT over TLS). */
    static final int DEFAULT_TLS_PORT = 8883;

    /** {@code --help} alone: in these commands {@code -h} is the host, as in Mosquitto's tools. */
    static final Flag HELP = Flag.toggle("help", "print this help and exit");

    /** The shared flags, in help order. */
    static final List<Flag> FLAGS = concat(List.of(
            Flag.value("host", "HOST", "the broker's host (default " + DEFAULT_HOST + ")").alias("h"),
            Flag.value("port", "PORT", "the broker's port (default " + DEFAULT_PORT + ", with TLS " + DEFAULT_TLS_PORT
                    + ")").alias("p"),
            Flag.value("url", "URL", "mqtt[s]://[USER[:PASSWORD]@]HOST[:PORT]/TOPIC: broker, credentials\n"
                    + "and topic in one (instead of -h, -p, -u, -P and -t); for\n"
                    + "ws:// and wss:// the path is the WebSocket path, as in\n"
                    + "ws://HOST:8080/mqtt, and -t gives the topic; ipc:///PATH\n"
                    + "or ipc://@NAME is a Unix socket (the topic from -t)").alias("L")),
            TlsFlags.CLIENT, List.of(
            Flag.value("id", "ID", "the client identifier (default: in 5.0 the broker assigns\n"
                    + "one; in 3.1.1 and 3.1 a random zzq-...)").alias("i"),
            Flag.value("id-prefix", "PREFIX", "the client identifier: PREFIX and the process id").alias("I"),
            Flag.value("keepalive", "SECONDS", "keep alive, 0 for none (default 60)").alias("k"),
            Flag.value("username", "NAME", "the user name").alias("u"),
            Flag.value("pw", "PASSWORD", "the password").alias("P"),
            Flag.value("protocol-version", "VERSION", "MQTT 5, 311 or 31 (or mqttv5, mqttv311, mqttv31);\n"
                    + "default 5 (mosquitto's tools: 311)").alias("V"),
            Flag.toggle("disable-clean-session", "a persistent session: the broker keeps the subscriptions\n"
                    + "and the QoS 1 and 2 messages that come while the client is\n"
                    + "away. Needs -i or -I. In 5.0 it never expires unless -x").alias("c"),
            Flag.value("session-expiry", "SECONDS", "the 5.0 Session Expiry Interval, -1 for never (default:\n"
                    + "never with -c, else 0); ignored in 3.1.1").alias("x"),
            Flag.value("will-topic", "TOPIC", "the will's topic: the broker publishes the will if the\n"
                    + "connection ends abnormally"),
            Flag.value("will-payload", "TEXT", "the will's payload (default empty)"),
            Flag.value("will-qos", "QOS", "the will's QoS (default 0)"),
            Flag.toggle("will-retain", "retain the will"),
            PropertyFlags.FLAG,
            Flag.toggle("debug", "debug logging, and every connect and retry, on stderr").alias("d"),
            Flag.toggle("quiet", "print no error messages (the exit code still tells)"),
            HELP));

    /** The part of the exit status both commands share, after their own codes. */
    static final String EXIT_REFUSED = "when the broker refuses the connection, its CONNACK code (5.0: the\n"
            + "reason code, such as 135 for Not authorized; 3.1.1: the return code, such as 5)";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientFlags() {
    }

    @SafeVarargs
    private static List<Flag> concat(List<Flag>... parts) {
        List<Flag> all = new ArrayList<>();
        for (List<Flag> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }

    /** A command's own flags followed by the shared ones. */
    static List<Flag> withShared(List<Flag> own) {
        List<Flag> all = new ArrayList<>(own);
        all.addAll(FLAGS);
        return List.copyOf(all);
    }

    /**
     * Parses a command's arguments, and sets up logging ({@code -d}, {@code --quiet}) before the first logger is
     * made.
     *
     * @return the parsed flags, or {@code null} when {@code --help} was given (the usage is printed then)
     */
    static Args parse(List<Flag> flags, List<String> args, Console console, String usage) throws CommandException {
        Args parsed = Args.parse(flags, args);
        if (Command.printedHelp(parsed, console, usage)) {
            return null;
        }
        if (parsed.has("quiet") && !parsed.has("debug")) {
            Logging.silence();
        } else {
            Logging.configure(parsed.has("debug"));
        }
        return parsed;
    }

    /**
     * What the shared flags ask for.
     *
     * @param url        the broker's endpoint URL, such as {@code mqtt://localhost:1883}
     * @param urlTopic   the topic given in {@code -L}, or {@code null}
     * @param options    the client's options
     * @param properties every {@code -D}
     * @param debug      {@code -d}
     * @param quiet      {@code --quiet}
     */
    record Settings(String url, String urlTopic, ClientOptions options, PropertyFlags properties, boolean debug,
                    boolean quiet) {
        MqttVersion version() {
            return options.version();
        }
    }

    /** The parts of a {@code -L} URL. */
    private record Url(String endpoint, String username, String password, String topic) {
    }

    /**
     * Turns the shared flags into settings.
     *
     * @param commands the {@code -D} commands the caller sends: {@code connect}, {@code will}, and its own
     * @param tuning   the caller's own client options (queue bounds...), applied first
     * @throws CommandException a usage error naming the flag or value at fault
     */
    static Settings settings(Args args, List<String> commands, ClientOptions tuning) throws CommandException {
        MqttVersion version = version(args.value("protocol-version").orElse("5"));
        PropertyFlags properties = PropertyFlags.parse(args, commands);
        if (!properties.isEmpty() && !version.isV5()) {
            throw CommandException.usage("-D sets MQTT 5 properties: it needs -V 5, not MQTT " + version);
        }
        Url url = url(args);
        ClientOptions.Builder b = tuning.toBuilder().version(version);
        try {
            setCredentials(args, url, b);
            boolean persistent = args.has("disable-clean-session");
            if (persistent && !args.has("id") && !args.has("id-prefix")) {
                // as mosquitto_sub: a session to come back to needs a name to come back with
                throw CommandException.usage("-c needs a client identifier: give -i or -I");
            }
            String id = clientId(args, version);
            b.clientId(id).cleanStart(!persistent);
            long keepAlive = args.number("keepalive").orElse(60);
            if (keepAlive < 0 || keepAlive > 65_535) {
                throw CommandException.usage("-k must be 0 to 65535 seconds, not " + keepAlive);
            }
            b.keepAlive((int) keepAlive);
            Properties connect = properties.of("connect");
            if (version.isV5()) {
                long expiry = sessionExpiry(args, connect, persistent);
                if (expiry == NEVER_EXPIRES && id.isEmpty()) {
                    throw CommandException.usage("a session that never expires needs a client identifier: "
                            + "give -i or -I");
                }
                b.sessionExpiry(expiry);
                applyConnectProperties(connect, b);
            }
            will(args, properties.of("will"), b);
            if (TlsFlags.isTls(Endpoint.parse(url.endpoint()).scheme())) {
                b.transportOptions(TlsFlags.client(args));
            }
            return new Settings(url.endpoint(), url.topic(), b.build(), properties, args.has("debug"),
                    args.has("quiet"));
        } catch (IllegalArgumentException e) {
            // the client options' own checks: the message names the setting
            throw CommandException.usage(e.getMessage());
        }
    }

    /** {@code -V}: the names Mosquitto's tools accept. */
    static MqttVersion version(String text) throws CommandException {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "5", "mqttv5" -> MqttVersion.V5;
            case "311", "mqttv311" -> MqttVersion.V3_1_1;
            case "31", "mqttv31" -> MqttVersion.V3_1;
            default -> throw CommandException.usage("-V must be 5, 311 or 31 (or mqttv5, mqttv311, mqttv31), not '"
                    + text + "'");
        };
    }

    /** {@code -q} and {@code --will-qos}. */
    static QoS qos(Args args, String flag) throws CommandException {
        long n = args.number(flag).orElse(0);
        if (n < 0 || n > 2) {
            throw CommandException.usage(args.label(flag) + " must be 0, 1 or 2, not " + n);
        }
        return QoS.of((int) n);
    }

    /** The broker's URL and the {@code -L} parts, checked. */
    private static Url url(Args args) throws CommandException {
        Optional<String> given = args.value("url");
        boolean tls = TlsFlags.anyGiven(args, TlsFlags.CLIENT);
        String endpoint;
        Url url;
        if (given.isPresent()) {
            for (String flag : List.of("host", "port")) {
                if (args.has(flag)) {
                    throw CommandException.usage("-L names the broker: give it or " + args.label(flag)
                            + ", not both");
                }
            }
            url = parseUrl(given.get());
            endpoint = url.endpoint();
            if (tls && !TlsFlags.isTls(endpoint.substring(0, endpoint.indexOf("://")))) {
                throw CommandException.usage("-L " + endpoint + " is plain MQTT: write mqtts:// to use the TLS flags "
                        + "(--cafile, --cert, --key, --insecure, --tls-version)");
            }
        } else {
            long port = args.number("port").orElse(tls ? DEFAULT_TLS_PORT : DEFAULT_PORT);
            if (port < 1 || port > 65_535) {
                throw CommandException.usage("-p must be 1 to 65535, not " + port);
            }
            String host = args.value("host").orElse(DEFAULT_HOST);
            endpoint = (tls ? "mqtts://" : "mqtt://") + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host)
                    + ":" + port;
            url = new Url(endpoint, null, null, null);
        }
        try {
            Endpoint.parse(endpoint);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage((given.isPresent() ? "-L: " : "-h: ") + e.getMessage());
        }
        return url;
    }

    /**
     * {@code scheme://[user[:password]@]host[:port][/topic]}: the topic is everything after the first slash; but for
     * WebSockets ({@code ws://}, {@code wss://}) the path is the WebSocket path, part of the endpoint.
     */
    private static Url parseUrl(String text) throws CommandException {
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw CommandException.usage("-L must look like mqtt://[USER[:PASSWORD]@]HOST[:PORT]/TOPIC, not '"
                    + text + "'");
        }
        String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        if (scheme.equals("ipc")) {
            // ipc:///path/to/socket or ipc://@name: all of it names the socket; no credentials, no topic
            return new Url(scheme + text.substring(sep), null, null, null);
        }
        boolean webSocket = scheme.equals("ws") || scheme.equals("wss");
        int slash = text.indexOf('/', sep + 3);
        String authority = slash < 0 ? text.substring(sep + 3) : text.substring(sep + 3, slash);
        String path = webSocket && slash >= 0 ? text.substring(slash) : "";
        String topic = webSocket || slash < 0 || slash == text.length() - 1 ? null : text.substring(slash + 1);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? null : userInfo.substring(colon + 1);
        }
        if (authority.isEmpty()) {
            throw CommandException.usage("-L names no host: '" + text + "'");
        }
        return new Url(scheme + "://" + authority + path, user, password, topic);
    }

    private static void setCredentials(Args args, Url url, ClientOptions.Builder b) throws CommandException {
        if (url.username() != null && args.has("username")) {
            throw CommandException.usage("-L gives the user name: give it or -u, not both");
        }
        if (url.password() != null && args.has("pw")) {
            throw CommandException.usage("-L gives the password: give it or -P, not both");
        }
        String user = url.username() != null ? url.username() : args.value("username").orElse(null);
        String password = url.password() != null ? url.password() : args.value("pw").orElse(null);
        b.username(user).password(password);
    }

    /** {@code -i}, {@code -I}, or the default: empty in 5.0 (the broker assigns one), random in 3.1 and 3.1.1. */
    private static String clientId(Args args, MqttVersion version) throws CommandException {
        if (args.has("id") && args.has("id-prefix")) {
            throw CommandException.usage("give -i or -I, not both");
        }
        if (args.has("id")) {
            return args.value("id").orElseThrow();
        }
        if (args.has("id-prefix")) {
            return args.value("id-prefix").orElseThrow() + ProcessHandle.current().pid();
        }
        if (version.isV5()) {
            return "";
        }
        // 3.1 needs an identifier of at most 23 characters; 3.1.1 allows an empty one, but Mosquitto's tools send
        // one in both, and so does zzq
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder("zzq-");
        for (int i = 0; i < 18; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    /** {@code -x}, or {@code -D connect session-expiry-interval}, or the default: never with -c, else 0. */
    private static long sessionExpiry(Args args, Properties connect, boolean persistent) throws CommandException {
        OptionalLong fromProperty = connect.integer(PropertyId.SESSION_EXPIRY_INTERVAL);
        Optional<String> given = args.value("session-expiry");
        if (given.isPresent() && fromProperty.isPresent()) {
            throw CommandException.usage("give -x or -D connect session-expiry-interval, not both");
        }
        if (fromProperty.isPresent()) {
            return fromProperty.getAsLong();
        }
        if (given.isEmpty()) {
            return persistent ? NEVER_EXPIRES : 0;
        }
        String text = given.get().trim();
        if (text.equals("-1") || text.equals("∞")) {
            return NEVER_EXPIRES;
        }
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw CommandException.usage("-x needs a whole number of seconds (or -1 for never), not '" + text + "'");
        }
        if (seconds < 0 || seconds > NEVER_EXPIRES) {
            throw CommandException.usage("-x must be 0 to 4294967295 seconds, or -1 for never, not " + seconds);
        }
        return seconds;
    }

    /** The CONNECT properties of {@code -D connect}, onto the options that say them (the expiry is set apart). */
    private static void applyConnectProperties(Properties connect, ClientOptions.Builder b) {
        connect.integer(PropertyId.RECEIVE_MAXIMUM).ifPresent(n -> b.receiveMaximum((int) n));
        connect.integer(PropertyId.MAXIMUM_PACKET_SIZE).ifPresent(n -> b.maximumPacketSize(
                (int) Math.min(Integer.MAX_VALUE, n)));
        connect.integer(PropertyId.TOPIC_ALIAS_MAXIMUM).ifPresent(n -> b.topicAliasMaximum((int) n));
        connect.integer(PropertyId.REQUEST_PROBLEM_INFORMATION).ifPresent(n -> b.requestProblemInformation(n == 1));
        connect.integer(PropertyId.REQUEST_RESPONSE_INFORMATION).ifPresent(n -> b.requestResponseInformation(n == 1));
        connect.userProperties().forEach(u -> b.userProperty(u.name(), u.value()));
        Optional<String> method = connect.string(PropertyId.AUTHENTICATION_METHOD);
        Optional<BinaryData> data = connect.binary(PropertyId.AUTHENTICATION_DATA);
        if (data.isPresent() && method.isEmpty()) {
            throw new IllegalArgumentException("-D connect authentication-data needs authentication-method");
        }
        method.ifPresent(m -> b.authentication(new OneStepAuthentication(m,
                data.map(BinaryData::toByteArray).orElse(null))));
    }

    /** {@code --will-*} and {@code -D will ...}. */
    private static void will(Args args, Properties willProperties, ClientOptions.Builder b) throws CommandException {
        Optional<String> topic = args.value("will-topic");
        if (topic.isEmpty()) {
            for (String flag : List.of("will-payload", "will-qos", "will-retain")) {
                if (args.has(flag)) {
                    throw CommandException.usage("--" + flag + " needs --will-topic");
                }
            }
            if (!willProperties.isEmpty()) {
                throw CommandException.usage("-D will needs --will-topic");
            }
            return;
        }
        OptionalLong delay = willProperties.integer(PropertyId.WILL_DELAY_INTERVAL);
        if (delay.isPresent()) {
            b.willDelay(delay.getAsLong());
            willProperties = willProperties.toBuilder().remove(PropertyId.WILL_DELAY_INTERVAL).build();
        }
        try {
            b.will(ApplicationMessage.builder(topic.get())
                    .payload(args.value("will-payload").orElse("").getBytes(StandardCharsets.UTF_8))
                    .qos(qos(args, "will-qos")).retain(args.has("will-retain"))
                    .properties(willProperties).build());
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("--will-topic: " + e.getMessage());
        }
    }

    /**
     * {@code -D connect authentication-method} (and {@code authentication-data}): sent in CONNECT as given, as
     * Mosquitto's tools do; a challenge from the broker cannot be answered.
     */
    private static final class OneStepAuthentication implements ClientAuthentication {
        private final String method;
        private final byte[] data;

        OneStepAuthentication(String method, byte[] data) {
            this.method = method;
            this.data = data;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public byte[] initialData() {
            return data == null ? null : data.clone();
        }

        @Override
        public byte[] challenge(byte[] challenge) {
            throw new IllegalStateException("the broker asked for more authentication data than -D connect "
                    + "authentication-data gave");
        }
    }
}
