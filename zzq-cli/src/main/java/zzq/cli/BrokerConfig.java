package zzq.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.Broker;

/**
 * A {@code zzq broker -c FILE} configuration file: Mosquitto's syntax and, where Mosquitto has the setting, its
 * names (docs/broker-config.md has the full list).
 *
 * <p>Two kinds of lines. A {@code listener} line starts a listener section, and the listener settings after it
 * ({@code protocol}, {@code certfile}, ...) belong to that listener. Every other setting is the broker's and may be
 * given once, anywhere. Unknown keys, listener settings outside a section, settings given twice and bad listener
 * lines are refused here with the file and line; values are checked where they are used
 * ({@link BrokerCommand#settings}), with the file and line too.
 */
final class BrokerConfig {
    /** The broker's settings, each named as its {@code zzq broker} flag with '_' for '-'. */
    static final Set<String> BROKER_KEYS = Set.of("password_file", "acl_file", "allow_anonymous", "max_keepalive",
            "max_packet_size", "max_inflight_messages", "max_topic_alias", "max_queued_messages", "max_queued_bytes",
            "max_connections", "sys_interval", "persistence", "native_io");

    /** The settings that belong to the {@code listener} line above them. */
    static final Set<String> LISTENER_KEYS = Set.of("protocol", "certfile", "keyfile", "keyfile_password", "cafile",
            "require_certificate", "tls_version");

    /** Mosquitto settings that zzq does not have, so that a copied mosquitto.conf gets a precise refusal. */
    private static final Set<String> MOSQUITTO_ONLY = Set.of("port", "bind_address", "bind_interface",
            "log_dest", "log_type", "log_timestamp", "log_timestamp_format", "log_facility", "connection_messages",
            "autosave_interval", "autosave_on_changes", "persistence_file", "persistence_location",
            "persistent_client_expiration", "include_dir", "per_listener_settings", "user", "pid_file", "psk_file",
            "psk_hint", "ciphers", "ciphers_tls1.3", "crlfile", "capath", "http_dir", "mount_point",
            "use_identity_as_username", "use_subject_as_username", "use_username_as_clientid", "retain_available",
            "max_qos", "message_size_limit", "upgrade_outgoing_qos", "queue_qos0_messages",
            "allow_zero_length_clientid", "auto_id_prefix", "auth_plugin", "plugin", "plugin_opt", "check_retain_source", "set_tcp_nodelay", "socket_domain", "websockets_log_level", "websockets_headers_size",
            "connection", "address", "topic", "memory_limit", "allow_duplicate_messages",
            "max_inflight_bytes", "clientid_prefixes", "accept_protocol_versions", "dhparamfile",
            "keyfile_engine", "tls_engine", "tls_engine_kpass_sha1", "tls_keyform", "ocsp_stapling");

    private final Path file;
    private final Map<String, ConfigLine> settings;
    private final List<Listener> listeners;

    private BrokerConfig(Path file, Map<String, ConfigLine> settings, List<Listener> listeners) {
        this.file = file;
        this.settings = settings;
        this.listeners = listeners;
    }

    /**
     * Reads and checks a configuration file.
     *
     * @throws CommandException a failure (exit 1) naming the file, and the line of a bad setting
     */
    static BrokerConfig read(Path file) throws CommandException {
        return of(file, ConfigFile.read(file));
    }

    /** Interprets the lines of a configuration file. */
    static BrokerConfig of(Path file, List<ConfigLine> lines) throws CommandException {
        Map<String, ConfigLine> settings = new LinkedHashMap<>();
        List<Listener> listeners = new ArrayList<>();
        ListenerSection section = null;
        for (ConfigLine line : lines) {
            String key = line.key();
            if (key.equals("listener")) {
                if (section != null) {
                    listeners.add(section.listener());
                }
                section = new ListenerSection(line);
            } else if (LISTENER_KEYS.contains(key)) {
                if (section == null) {
                    throw line.error(key + " belongs to a listener: put it after a 'listener' line");
                }
                section.add(line);
            } else if (BROKER_KEYS.contains(key)) {
                ConfigLine first = settings.putIfAbsent(key, line);
                if (first != null) {
                    throw line.error(key + " is given twice (first on line " + first.number() + ")");
                }
            } else if (MOSQUITTO_ONLY.contains(key)) {
                throw line.error(key + " is a Mosquitto setting that zzq does not have (docs/broker-config.md "
                        + "lists zzq's)");
            } else {
                throw line.error("unknown setting '" + key + "'");
            }
        }
        if (section != null) {
            listeners.add(section.listener());
        }
        return new BrokerConfig(file, settings, List.copyOf(listeners));
    }

    /** The file read. */
    Path file() {
        return file;
    }

    /** A broker setting ({@code max_keepalive}), if the file gives it. */
    Optional<ConfigLine> setting(String key) {
        if (!BROKER_KEYS.contains(key)) {
            throw new IllegalArgumentException("not a broker setting: " + key);
        }
        return Optional.ofNullable(settings.get(key));
    }

    /** The listeners, in the file's order; empty when the file has none. */
    List<Listener> listeners() {
        return listeners;
    }

    /** A {@code listener} line and the listener settings after it, until the next {@code listener} line. */
    private static final class ListenerSection {
        private final ConfigLine start;
        private final Map<String, ConfigLine> settings = new LinkedHashMap<>();

        ListenerSection(ConfigLine start) {
            this.start = start;
        }

        void add(ConfigLine line) throws CommandException {
            ConfigLine first = settings.putIfAbsent(line.key(), line);
            if (first != null) {
                throw line.error(line.key() + " is given twice for the listener of line " + start.number()
                        + " (first on line " + first.number() + ")");
            }
        }

        /**
         * The listener: {@code listener URL} names it whole; Mosquitto's {@code listener PORT [ADDRESS]} makes
         * {@code mqtt://} ({@code ws://} with {@code protocol websockets}), over TLS when there is a
         * {@code certfile}, on every interface when there is no address; {@code listener 0 PATH} is a Unix socket.
         */
        Listener listener() throws CommandException {
            String[] words = start.value().split("\\s+");
            if (words.length > 2) {
                throw start.error("listener takes a URL, or a port and an optional address, not '" + start.value()
                        + "'");
            }
            String url = words[0].contains("://") ? urlForm(words) : portForm(words);
            Endpoint endpoint;
            try {
                endpoint = Broker.checkListenable(url);
            } catch (IllegalArgumentException e) {
                throw start.error(e.getMessage());
            }
            boolean tls = TlsFlags.isTls(endpoint.scheme());
            if (!tls) {
                for (ConfigLine line : settings.values()) {
                    if (!line.key().equals("protocol")) {
                        throw line.error(line.key() + " is a TLS setting, and the listener of line "
                                + start.number() + " (" + url + ") is not a TLS one");
                    }
                }
                return new Listener(url, TransportOptions.NONE);
            }
            ServerTls serverTls = new ServerTls(path("certfile"), path("keyfile"), text("keyfile_password"),
                    path("cafile"), flag("require_certificate"), text("tls_version"));
            try {
                return new Listener(url, serverTls.options(ServerTls.CONFIG_NAMES::get));
            } catch (IllegalArgumentException e) {
                throw start.error(e.getMessage());
            }
        }

        private String urlForm(String[] words) throws CommandException {
            if (words.length > 1) {
                throw start.error("listener takes a URL alone, or a port and an address, not '" + start.value()
                        + "'");
            }
            ConfigLine protocol = settings.get("protocol");
            if (protocol != null) {
                throw protocol.error("protocol is for 'listener PORT': the URL of line " + start.number()
                        + " names its scheme");
            }
            return words[0];
        }

        private String portForm(String[] words) throws CommandException {
            int port;
            try {
                port = Integer.parseInt(words[0]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65_535) {
                throw start.error("listener needs a port (0 to 65535) or a URL, not '" + words[0] + "'");
            }
            String address = words.length > 1 ? words[1] : null;
            ConfigLine protocol = settings.get("protocol");
            boolean websockets = protocol != null && protocol.value().equals("websockets");
            if (protocol != null && !websockets && !protocol.value().equals("mqtt")) {
                throw protocol.error("protocol must be mqtt or websockets, not '" + protocol.value() + "'");
            }
            if (port == 0 && address != null && (address.startsWith("/") || address.startsWith("@"))) {
                if (websockets) {
                    throw protocol.error("a Unix socket listener (line " + start.number() + ") speaks mqtt only");
                }
                return "ipc://" + address;
            }
            boolean tls = settings.containsKey("certfile") || settings.containsKey("keyfile");
            String scheme = websockets ? (tls ? "wss" : "ws") : (tls ? "mqtts" : "mqtt");
            String host = address == null ? "0.0.0.0" : address.contains(":") ? "[" + address + "]" : address;
            return scheme + "://" + host + ":" + port;
        }

        private Path path(String key) throws CommandException {
            ConfigLine line = settings.get(key);
            return line == null ? null : line.path();
        }

        private String text(String key) {
            ConfigLine line = settings.get(key);
            return line == null ? null : line.value();
        }

        private boolean flag(String key) throws CommandException {
            ConfigLine line = settings.get(key);
            return line != null && Setting.of(line).bool();
        }
    }
}
