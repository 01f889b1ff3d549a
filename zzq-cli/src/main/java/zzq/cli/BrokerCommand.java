package zzq.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.auth.AclFile;
import zzq.engine.auth.AuthFileException;
import zzq.engine.auth.PasswordFile;

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
            Flag.repeatable("bind", "URL", "listen on URL; repeat for more listeners (default " + DEFAULT_BIND + ")\n"
                    + "mqtt://HOST:PORT, mqtts://HOST:PORT (TLS: needs --cert and --key),\n"
                    + "ws://HOST:PORT/PATH, wss://HOST:PORT/PATH (WebSockets; wss as mqtts)"),
            Flag.value("password-file", "FILE", "Mosquitto password file (as mosquitto_passwd writes it)"),
            Flag.value("acl-file", "FILE", "Mosquitto ACL file: which topics each client may read and write"),
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
            Flag.toggle("no-native", "run on Java NIO even where Linux epoll is available"),
            Flag.toggle("verbose", "debug logging"),
            Flag.HELP);

    /** The flags with the TLS ones after {@code --bind}. */
    private static List<Flag> flags(Flag bind, Flag... rest) {
        List<Flag> all = new java.util.ArrayList<>();
        all.add(bind);
        all.addAll(TlsFlags.BROKER);
        all.addAll(List.of(rest));
        return List.copyOf(all);
    }

    /**
     * What the flags ask for.
     *
     * @param binds   the endpoint URLs to listen on, in order; each has been checked to parse
     * @param options the broker's options, with the password and ACL files loaded
     * @param verbose whether {@code --verbose} was given
     * @param tls     the TLS settings of the mqtts:// and wss:// binds ({@link TransportOptions#NONE} without any)
     */
    record Settings(List<String> binds, BrokerOptions options, boolean verbose, TransportOptions tls) {
        /** The transport options of one bind: the TLS settings for a TLS scheme, none otherwise. */
        TransportOptions transportOptions(String url) {
            return TlsFlags.isTls(Endpoint.parse(url).scheme()) ? tls : TransportOptions.NONE;
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
        return "Usage: zzq broker [flags]\n\n"
                + "Runs an MQTT broker until SIGINT (Ctrl-C) or SIGTERM, then closes it: the listeners first, then\n"
                + "every connection (MQTT 5 clients get DISCONNECT 0x8B Server shutting down), and exits 0.\n\n"
                + "Flags (--flag VALUE or --flag=VALUE):\n" + Flag.table(FLAGS);
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = Args.parse(FLAGS, args);
        if (parsed.has(Flag.HELP.name())) {
            console.out().print(usage());
            return 0;
        }
        Logging.configure(parsed.has("verbose")); // before the first logger, which start() creates
        Settings settings = settings(parsed);
        StopSignal stop = StopSignal.install(); // before the broker, so that no signal finds it unwatched
        Broker broker = start(settings);
        // Any other way out of the JVM (SIGHUP, -Xrs) still closes the broker gracefully; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.release("shutdown");
        }, "zzq-broker-shutdown"));
        log().debug("zzq broker: stops on {}", stop.caught());
        String why = stop.await();
        log().info("zzq broker: {}, closing", why);
        broker.close();
        log().info("zzq broker: closed");
        return 0;
    }

    /**
     * Turns parsed flags into settings: checks every value and reads the password and ACL files.
     *
     * @throws CommandException a usage error (exit 2) for a bad value; a failure (exit 1) for a file that cannot be
     *                          read or is malformed
     */
    static Settings settings(Args args) throws CommandException {
        List<String> binds = args.values("bind").isEmpty() ? List.of(DEFAULT_BIND) : args.values("bind");
        boolean tlsBind = false;
        for (String url : binds) {
            try {
                tlsBind |= TlsFlags.isTls(Endpoint.parse(url).scheme());
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
        BrokerOptions.Builder b = BrokerOptions.builder();
        try {
            setInt(args, "max-keepalive", b::maxKeepAlive);
            setInt(args, "max-packet-size", b::maxPacketSize);
            setInt(args, "max-inflight-messages", b::maxInflightMessages);
            setInt(args, "max-topic-alias", b::maxTopicAlias);
            setInt(args, "max-queued-messages", b::maxQueuedMessages);
            set(args, "max-queued-bytes", b::maxQueuedBytes);
            setInt(args, "max-connections", b::maxConnections);
            set(args, "sys-interval", seconds -> b.sysInterval(Duration.ofSeconds(nonNegative("sys-interval",
                    seconds))));
            b.allowAnonymous(allowAnonymous(args));
            b.nativeIo(!args.has("no-native"));
        } catch (IllegalArgumentException e) {
            // The builder's own message names the setting and its range.
            throw CommandException.usage(e.getMessage());
        }
        Optional<String> passwords = args.value("password-file");
        if (passwords.isPresent()) {
            b.authenticator(load("password file", passwords.get(), PasswordFile::load));
        }
        Optional<String> acl = args.value("acl-file");
        if (acl.isPresent()) {
            b.authorizer(load("ACL file", acl.get(), AclFile::load));
        }
        return new Settings(binds, b.build(), args.has("verbose"), tls);
    }

    /**
     * Starts a broker and binds every endpoint of the settings, logging each bound endpoint with its real port.
     *
     * @return the running broker; the caller closes it
     * @throws CommandException a failure (exit 1) when an endpoint cannot be bound; the broker is closed then
     */
    static Broker start(Settings settings) throws CommandException {
        Broker broker = Broker.start(settings.options());
        log().debug("zzq broker: event loops on {}", broker.usesNativeIo() ? "epoll" : "Java NIO");
        try {
            for (String url : settings.binds()) {
                Endpoint bound = broker.bind(url, settings.transportOptions(url));
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

    /** Default: anonymous clients are let in unless a password file says who may connect (as in Mosquitto 1.x). */
    private static boolean allowAnonymous(Args args) throws CommandException {
        Optional<String> value = args.value("allow-anonymous");
        if (value.isEmpty()) {
            return !args.has("password-file");
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw CommandException.usage("--allow-anonymous must be true or false, not '"
                    + value.get() + "'");
        };
    }

    /** Applies a flag's whole-number value, if given. */
    private static void set(Args args, String flag, LongFunction<?> setter) throws CommandException {
        OptionalLong value = args.number(flag);
        if (value.isPresent()) {
            setter.apply(value.getAsLong());
        }
    }

    /** Applies a flag's value that must fit an {@code int}, if given; the setter checks the real range. */
    private static void setInt(Args args, String flag, IntFunction<?> setter) throws CommandException {
        OptionalLong value = args.number(flag);
        if (value.isPresent()) {
            long n = value.getAsLong();
            if (n != (int) n) {
                throw CommandException.usage("--" + flag + " " + n + " is out of range");
            }
            setter.apply((int) n);
        }
    }

    private static long nonNegative(String flag, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("--" + flag + " must be 0 or more, not " + n);
        }
        return n;
    }

    /** Reads a file the way {@link PasswordFile#load} and {@link AclFile#load} do. */
    private interface Loader<T> {
        T load(Path file) throws IOException;
    }

    /** Loads a password or ACL file; every failure becomes a message that names the file (exit 1). */
    private static <T> T load(String what, String file, Loader<T> loader) throws CommandException {
        try {
            return loader.load(Path.of(file));
        } catch (AuthFileException e) {
            throw CommandException.failure("bad " + what + ": " + e.getMessage()); // names the file and line
        } catch (NoSuchFileException e) {
            throw CommandException.failure("the " + what + " '" + file + "' does not exist");
        } catch (AccessDeniedException e) {
            throw CommandException.failure("cannot read the " + what + " '" + file + "': permission denied");
        } catch (FileSystemException e) {
            throw CommandException.failure("cannot read the " + what + " '" + file + "': "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        } catch (CharacterCodingException e) {
            throw CommandException.failure("cannot read the " + what + " '" + file + "': it is not UTF-8 text");
        } catch (IOException | InvalidPathException e) {
            throw CommandException.failure("cannot read the " + what + " '" + file + "': " + e.getMessage());
        }
    }

    /** Looked up when used, not at class load, so that {@link Logging#configure} comes first. */
    private static Logger log() {
        return LoggerFactory.getLogger(BrokerCommand.class);
    }
}
