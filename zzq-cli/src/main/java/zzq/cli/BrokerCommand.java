package zzq.cli;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;

/**
 * {@code zzq broker}: runs a broker in the foreground until SIGINT or SIGTERM, then closes it gracefully and exits
 * 0. The flags carry the names of Mosquitto's settings.
 *
 * <p>In three steps, each testable alone: {@link #settings} turns flags into {@link Settings} (reading the password
 * and ACL files), {@link #start} starts and binds a broker, and {@link #run} adds the wait for a signal.
 */
final class BrokerCommand implements Command {
    /** Where the broker listens when no {@code --bind} is given: Mosquitto's port, every interface. */
    static final String DEFAULT_BIND = "mqtt://0.0.0.0:1883";

    private static final BrokerOptions DEFAULTS = BrokerOptions.DEFAULTS;

    /** Every flag, in help order. */
    static final List<Flag> FLAGS = flags(
            Flag.value("config-file", "FILE", "read settings from FILE (Mosquitto's format and names, see\n"
                    + "docs/broker-config.md); flags given as well win over it").alias("c"),
            Flag.repeatable("bind", "URL", "listen on URL; repeat for more listeners (default " + DEFAULT_BIND + ",\n"
                    + "or the file's listeners)\n"
                    + "mqtt://HOST:PORT, mqtts://HOST:PORT (TLS: needs --cert and --key),\n"
                    + "ws://HOST:PORT/PATH, wss://HOST:PORT/PATH (WebSockets; wss as mqtts),\n"
                    + "ipc:///PATH or ipc://@NAME (Unix sockets)"),
            Flag.value("password-file", "FILE", "Mosquitto password file (as mosquitto_passwd or zzq passwd write it);\n"
                    + "SIGHUP reloads it"),
            Flag.value("acl-file", "FILE", "Mosquitto ACL file: which topics each client may read and write;\n"
                    + "SIGHUP reloads it"),
            Flag.value("allow-anonymous", "true|false", "whether clients without a user name may connect\n"
                    + "(default: true without --password-file, false with it)"),
            Flag.value("max-keepalive", "N", "longest keep alive granted, in seconds (default "
                    + DEFAULTS.maxKeepAlive() + ")"),
            Flag.value("max-packet-size", "BYTES", "largest packet accepted (default " + DEFAULTS.maxPacketSize() + ")"),
            Flag.value("max-inflight-messages", "N", "unacknowledged QoS 1 and 2 messages a client may send at once\n"
                    + "(the MQTT 5 Receive Maximum; default " + DEFAULTS.maxInflightMessages() + ")"),
            Flag.value("max-topic-alias", "N", "topic aliases an MQTT 5 client may use, 0 for none (default "
                    + DEFAULTS.maxTopicAlias() + ")"),
            Flag.value("max-queued-messages", "N", "messages held per session that are not yet sent (default "
                    + DEFAULTS.maxQueuedMessages() + ")"),
            Flag.value("max-queued-bytes", "BYTES", "payload bytes held per session that are not yet sent (default "
                    + DEFAULTS.maxQueuedBytes() + ")"),
            Flag.value("max-connections", "N", "connections at once, 0 for no limit (default "
                    + DEFAULTS.maxConnections() + ")"),
            Flag.value("sys-interval", "SECONDS", "how often $SYS/broker/... is published, 0 for never (default "
                    + DEFAULTS.sysInterval().toSeconds() + ")"),
            Flag.value("persistence", "URL", "where retained messages and sessions are kept: memory: (the\n"
                    + "default; lost on restart), or sqlite:FILE (kept across restarts and crashes)"),
            Flag.toggle("no-native", "run on Java NIO even where Linux epoll is available"),
            Flag.toggle("verbose", "debug logging").alias("v"),
            Flag.HELP);

    /** The flags with the TLS ones after {@code --bind}. */
    private static List<Flag> flags(Flag config, Flag bind, Flag... rest) {
        List<Flag> all = new java.util.ArrayList<>();
        all.add(config);
        all.add(bind);
        all.addAll(TlsFlags.BROKER);
        all.addAll(List.of(rest));
        return List.copyOf(all);
    }

    /**
     * What the flags and the configuration file ask for.
     *
     * @param listeners the endpoints to listen on, in order, each with its transport options
     * @param options   the broker's options, with the password and ACL files loaded
     * @param verbose   whether {@code --verbose} was given
     * @param auth      the password and ACL files, which SIGHUP reloads
     */
    record Settings(List<Listener> listeners, BrokerOptions options, boolean verbose, AuthFiles auth) {
        /** The listeners' URLs, in order. */
        List<String> binds() {
            return listeners.stream().map(Listener::url).toList();
        }

        /** The transport options of the listener with this URL. */
        TransportOptions transportOptions(String url) {
            return listeners.stream().filter(l -> l.url().equals(url)).map(Listener::options).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no listener " + url));
        }
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String summary() {
        return "run an MQTT 3.1, 3.1.1 and 5.0 broker in the foreground";
    }

    @Override
    public String usage() {
        return "Usage: zzq broker [-c FILE] [flags]\n\n"
                + "Runs an MQTT broker until SIGINT (Ctrl-C) or SIGTERM, then closes it: the listeners first, then\n"
                + "every connection (MQTT 5 clients get DISCONNECT 0x8B Server shutting down), and exits 0.\n"
                + "SIGHUP reloads the password and ACL files; a file that does not load is logged and the\n"
                + "previous one stays in force.\n\n"
                + "Exit codes: 0 after a signal; 1 when the configuration file, a password or ACL file, or a\n"
                + "listener cannot be used (the message names the file and line, or the address); 2 for a bad flag.\n\n"
                + "Flags (--flag VALUE or --flag=VALUE):\n" + Flag.table(FLAGS);
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = Args.parse(FLAGS, args);
        if (Command.printedHelp(parsed, console, usage())) {
            return 0;
        }
        Logging.configure(parsed.has("verbose")); // before the first logger, which start() creates
        Settings settings = settings(parsed);
        // Both before the broker, so that no signal finds it unwatched.
        StopSignal stop = StopSignal.install();
        HangUpSignal reload = HangUpSignal.install(settings.auth()::reload);
        Broker broker;
        try {
            broker = start(settings);
        } catch (CommandException e) {
            stop.close();
            if (reload != null) {
                reload.close();
            }
            throw e;
        }
        // Any other way out of the JVM (SIGQUIT, -Xrs) still closes the broker gracefully; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            settings.options().persistence().close();
            stop.release("shutdown");
        }, "zzq-broker-shutdown"));
        log().debug("zzq broker: stops on {}", stop.caught());
        String why = stop.await();
        log().info("zzq broker: {}, closing", why);
        if (reload != null) {
            reload.close();
        }
        broker.close();
        settings.options().persistence().close(); // after the broker, which records its sessions as it closes
        log().info("zzq broker: closed");
        return 0;
    }

    /**
     * Turns parsed flags, and the configuration file they name, into settings: checks every value and reads the
     * password and ACL files. A flag wins over the file's setting; {@code --bind} replaces the file's listeners.
     *
     * @throws CommandException a usage error (exit 2) for a bad flag; a failure (exit 1) for a bad file, naming the
     *                          file and line
     */
    static Settings settings(Args args) throws CommandException {
        BrokerConfig config = null;
        if (args.has("config-file")) {
            config = BrokerConfig.read(Setting.find(args, null, "config-file").orElseThrow().path());
        }
        List<Listener> listeners = listeners(args, config);
        BrokerOptions.Builder b = BrokerOptions.builder();
        setInt(args, config, "max-keepalive", b::maxKeepAlive);
        setInt(args, config, "max-packet-size", b::maxPacketSize);
        setInt(args, config, "max-inflight-messages", b::maxInflightMessages);
        setInt(args, config, "max-topic-alias", b::maxTopicAlias);
        setInt(args, config, "max-queued-messages", b::maxQueuedMessages);
        set(args, config, "max-queued-bytes", (name, n) -> b.maxQueuedBytes(n));
        setInt(args, config, "max-connections", b::maxConnections);
        Optional<Setting> sys = Setting.find(args, config, "sys-interval");
        if (sys.isPresent()) {
            long seconds = sys.get().number();
            if (seconds < 0) {
                throw sys.get().error(sys.get().name() + " must be 0 or more, not " + seconds);
            }
            b.sysInterval(Duration.ofSeconds(seconds));
        }
        b.nativeIo(!args.has("no-native") && nativeIo(config));
        AuthFiles auth = AuthFiles.load(Setting.find(args, config, "password-file").orElse(null),
                Setting.find(args, config, "acl-file").orElse(null));
        Optional<Setting> anonymous = Setting.find(args, config, "allow-anonymous");
        // Default: anonymous clients are let in unless a password file says who may connect (as Mosquitto 1.x).
        b.allowAnonymous(anonymous.isPresent() ? anonymous.get().bool() : !auth.hasPasswordFile());
        b.authenticator(auth.authenticator());
        b.authorizer(auth.authorizer());
        // last, once every other setting is known good: an opened store holds its file until closed
        b.persistence(PersistenceUrl.open(Setting.find(args, config, "persistence")));
        return new Settings(listeners, b.build(), args.has("verbose"), auth);
    }

    /** {@code --bind} with the TLS flags; else the file's listeners; else {@link #DEFAULT_BIND}. */
    private static List<Listener> listeners(Args args, BrokerConfig config) throws CommandException {
        if (!args.has("bind") && config != null && !config.listeners().isEmpty()) {
            if (TlsFlags.anyGiven(args, TlsFlags.BROKER)) {
                throw CommandException.usage("the TLS flags (--cert, --key, ...) are for --bind listeners; the "
                        + "listeners of " + config.file() + " take certfile, keyfile, ... instead");
            }
            return config.listeners();
        }
        List<String> binds = args.values("bind").isEmpty() ? List.of(DEFAULT_BIND) : args.values("bind");
        boolean tlsBind = false;
        for (String url : binds) {
            try {
                tlsBind |= TlsFlags.isTls(Broker.checkListenable(url).scheme());
            } catch (IllegalArgumentException e) {
                throw CommandException.usage("--bind: " + e.getMessage());
            }
        }
        TransportOptions tls = TransportOptions.NONE;
        if (tlsBind) {
            tls = TlsFlags.broker(args);
        } else if (TlsFlags.anyGiven(args, TlsFlags.BROKER)) {
            throw CommandException.usage("the TLS flags (--cert, --key, --cafile, ...) are for mqtts:// and wss:// "
                    + "binds, and no --bind is one");
        }
        List<Listener> listeners = new ArrayList<>();
        for (String url : binds) {
            listeners.add(new Listener(url, TlsFlags.isTls(Endpoint.parse(url).scheme()) ? tls
                    : TransportOptions.NONE));
        }
        return List.copyOf(listeners);
    }

    /** The file's {@code native_io}; true (epoll where it loads) by default. */
    private static boolean nativeIo(BrokerConfig config) throws CommandException {
        Optional<ConfigLine> line = config == null ? Optional.empty() : config.setting("native_io");
        return line.isEmpty() || Setting.of(line.get()).bool();
    }

    /**
     * Starts a broker and binds every endpoint of the settings, logging each bound endpoint with its real port.
     *
     * @return the running broker; the caller closes it
     * @throws CommandException a failure (exit 1) when an endpoint cannot be bound; the broker is closed then
     */
    static Broker start(Settings settings) throws CommandException {
        Broker broker;
        try {
            broker = Broker.start(settings.options()); // loads what the persistence store holds
        } catch (RuntimeException e) {
            settings.options().persistence().close();
            throw CommandException.failure("cannot start the broker: " + e.getMessage());
        }
        log().debug("zzq broker: event loops on {}", broker.usesNativeIo() ? "epoll" : "Java NIO");
        try {
            for (Listener listener : settings.listeners()) {
                Endpoint bound = broker.bind(listener.url(), listener.options());
                log().info("zzq broker listening on {}", bound);
                if (settings.options().allowAnonymous() && !isLoopback(bound)) {
                    // Mosquitto 2 refuses this combination by default; we allow it (the README's one-line start)
                    // but say plainly what it means
                    log().warn("{} accepts anonymous clients from the network: give --password-file (and "
                            + "--acl-file), or --allow-anonymous false, before exposing it", bound);
                }
            }
        } catch (UncheckedIOException | IllegalArgumentException e) {
            broker.close();
            settings.options().persistence().close();
            throw CommandException.failure(e.getMessage());
        }
        return broker;
    }

    /** Whether an endpoint is reachable from this host only. */
    private static boolean isLoopback(Endpoint endpoint) {
        if (endpoint.isWildcardHost() || endpoint.host() == null) {
            return endpoint.host() == null; // ipc: local by nature; '*': every interface
        }
        try {
            return InetAddress.getByName(endpoint.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Hands a whole-number setting to the builder; {@code name} is how the setting was written. */
    private interface NumberSetter {
        void accept(String name, long n);
    }

    /** A whole-number setting's value, if given, handed to the builder; the builder's refusal names its range. */
    private static void set(Args args, BrokerConfig config, String flag, NumberSetter setter)
            throws CommandException {
        Optional<Setting> setting = Setting.find(args, config, flag);
        if (setting.isPresent()) {
            try {
                setter.accept(setting.get().name(), setting.get().number());
            } catch (IllegalArgumentException e) {
                throw setting.get().error(e.getMessage());
            }
        }
    }

    /** As {@link #set}, for a value that must fit an {@code int}. */
    private static void setInt(Args args, BrokerConfig config, String flag, IntConsumer setter)
            throws CommandException {
        set(args, config, flag, (name, n) -> {
            if (n != (int) n) {
                throw new IllegalArgumentException(name + " " + n + " is out of range");
            }
            setter.accept((int) n);
        });
    }

    /** Looked up when used, not at class load, so that {@link Logging#configure} comes first. */
    private static Logger log() {
        return LoggerFactory.getLogger(BrokerCommand.class);
    }
}
