package zzq.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.engine.Client;
import zzq.engine.ConnectRefusedException;
import zzq.engine.MonitorEvent;
import zzq.engine.MqttClientException;

/**
 * Connects {@code zzq pub} and {@code zzq sub} to the broker, turns a failed connect into Mosquitto's exit codes,
 * and tells the user on stderr what happens to the connection afterwards: a lost connection and the reconnect
 * (always, unless {@code --quiet}), every retry (with {@code -d}).
 *
 * <p>Exit codes, as {@code mosquitto_pub} and {@code mosquitto_sub}: a refused connection exits with the CONNACK
 * code (5.0: the reason code, such as 135 for Not authorized; 3.1.1: the return code, such as 5); a broker that
 * cannot be reached exits 1.
 */
final class Connector implements Consumer<MonitorEvent> {
    /** The 3.1.1 CONNACK return codes 0 to 5, in words. */
    private static final List<String> V3_REFUSALS = List.of("accepted", "unacceptable protocol version",
            "identifier rejected", "server unavailable", "bad user name or password", "not authorized");

    private final String command;
    private final Console console;
    private final ClientFlags.Settings settings;
    private final CompletableFuture<CommandException> fatal = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile boolean lost;

    private Connector(String command, Console console, ClientFlags.Settings settings) {
        this.command = command;
        this.console = console;
        this.settings = settings;
    }

    /**
     * A client connected as the settings say.
     *
     * @param prepare what to do with the client before it connects (ask for its unmatched messages, say)
     * @throws CommandException with the CONNACK code when the broker refuses, or 1 when it cannot be reached
     */
    static Connected connect(String command, Console console, ClientFlags.Settings settings,
                             Consumer<Client> prepare) throws CommandException {
        Connector connector = new Connector(command, console, settings);
        Client client = Client.create(settings.options());
        client.onMonitorEvent(connector);
        prepare.accept(client);
        try {
            client.connect(settings.url());
        } catch (RuntimeException e) {
            connector.closing = true;
            client.close();
            throw connectFailure(settings.url(), settings.version(), e, settings.quiet());
        }
        return new Connected(client, connector);
    }

    /**
     * A connected client and what became of its connection since.
     *
     * @param client    the client; {@link #close()} closes it
     * @param connector its monitor
     */
    record Connected(Client client, Connector connector) implements AutoCloseable {
        /** Completes when the client will not reconnect: the broker ended the session for good. */
        CompletableFuture<CommandException> fatal() {
            return connector.fatal;
        }

        /** Disconnects (5.0: with the will when {@code withWill}) and closes the client, quietly. */
        void close(boolean withWill) {
            connector.closing = true;
            if (withWill && client.isConnected()) {
                try {
                    client.disconnectWithWill();
                } catch (RuntimeException e) {
                    connector.debug("disconnect: " + e.getMessage());
                }
            }
            client.close();
        }

        @Override
        public void close() {
            close(false);
        }
    }

    @Override
    public void accept(MonitorEvent event) {
        if (event instanceof MonitorEvent.Connected c) {
            if (lost) {
                lost = false;
                say("reconnected to " + c.endpoint() + (c.sessionPresent() ? ", session resumed" : ""));
            } else {
                debug("connected to " + c.endpoint() + " as '" + c.clientId() + "'"
                        + (c.sessionPresent() ? ", session resumed" : ""));
            }
        } else if (event instanceof MonitorEvent.Disconnected d && !closing) {
            if (isFinal(d.reasonCode())) {
                fatal.complete(CommandException.exit(CommandException.FAILURE, settings.quiet() ? null
                        : "the broker ended the connection: " + describe(d.reasonCode())));
                return;
            }
            lost = true;
            say("connection lost (" + d.detail() + "); reconnecting");
        } else if (event instanceof MonitorEvent.ConnectRetried r && !closing) {
            debug("cannot reconnect to " + r.endpoint() + " (attempt " + r.attempt() + "): " + reason(r.error())
                    + "; next try in " + r.delay().toMillis() + " ms");
        }
    }

    /** Marks the end as fatal (a publish failed because the client stopped reconnecting, say). */
    void fail(CommandException why) {
        fatal.complete(why);
    }

    /** The reasons after which the client stops reconnecting (the same list as the client's own). */
    private static boolean isFinal(ReasonCode reason) {
        return reason == ReasonCode.BAD_USER_NAME_OR_PASSWORD || reason == ReasonCode.NOT_AUTHORIZED
                || reason == ReasonCode.BANNED || reason == ReasonCode.BAD_AUTHENTICATION_METHOD
                || reason == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID
                || reason == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION || reason == ReasonCode.SESSION_TAKEN_OVER;
    }

    private void say(String message) {
        if (!settings.quiet()) {
            console.err().println("zzq " + command + ": " + message);
        }
    }

    void debug(String message) {
        if (settings.debug()) {
            say(message);
        }
    }

    /**
     * The end of a failed connect: the CONNACK code for a refusal (as Mosquitto's tools exit), 1 otherwise.
     */
    static CommandException connectFailure(String url, MqttVersion version, RuntimeException e, boolean quiet) {
        if (e instanceof ConnectRefusedException refused && refused.reasonCode() != null) {
            ReasonCode code = refused.reasonCode();
            int exit = version.isV5() ? code.value() : code.toV3ConnackCode();
            return CommandException.exit(exit, quiet ? null : "the broker at " + url + " refused the connection: "
                    + (version.isV5() ? describe(code) : V3_REFUSALS.get(exit) + " (return code " + exit + ")")
                    + (refused.reasonString() == null ? "" : ": " + refused.reasonString()));
        }
        return CommandException.exit(CommandException.FAILURE, quiet ? null
                : "cannot connect to " + url + ": " + reason(e));
    }

    /** A reason code for people: {@code Not authorized (0x87)}. */
    static String describe(ReasonCode code) {
        String words = code.name().toLowerCase(Locale.ROOT).replace('_', ' ').replace("qos", "QoS");
        return Character.toUpperCase(words.charAt(0)) + words.substring(1) + String.format(" (0x%02X)", code.value());
    }

    /** Why a connection failed, without the stack of wrappers: {@code Connection refused}, {@code unknown host}. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage().replaceFirst(":.*", "");
            }
            if (t instanceof ConnectException && t.getMessage() != null) {
                // Netty's says "Connection refused: /127.0.0.1:1883", on epoll with a prefix: "finishConnect(..)
                // failed with error(-111): Connection refused: /127.0.0.1:1883"; the address is already in the message
                return t.getMessage().replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "")
                        .replaceFirst(": .*", "");
            }
        }
        return e.getMessage();
    }
}
