package zzq.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.Topics;
import zzq.codec.property.UserProperty;

/**
 * Everything a {@link Client} says in its CONNECT and how it behaves around it, immutable. Build with
 * {@link #builder()}; each setter checks its value at once.
 *
 * <p>Defaults: MQTT 5.0, an empty client identifier (the broker assigns one, and the client keeps using it on
 * reconnect), keep alive 60 s, clean start, session expiry 0, Receive Maximum 100, reconnect on
 * ({@link ReconnectPolicy#DEFAULT}), connect timeout 10 s, request timeout 30 s, at most 1000 publishes and
 * 64 MiB of payload waiting, 1000 QoS 0 messages buffered per subscription.
 */
public final class ClientOptions {
    /** The options with every default. */
    public static final ClientOptions DEFAULTS = builder().build();

    private final String clientId;
    private final MqttVersion version;
    private final int keepAlive;
    private final boolean cleanStart;
    private final long sessionExpirySeconds;
    private final String username;
    private final byte[] password;
    private final ApplicationMessage will;
    private final long willDelaySeconds;
    private final int receiveMaximum;
    private final int maximumPacketSize;
    private final int topicAliasMaximum;
    private final boolean requestResponseInformation;
    private final boolean requestProblemInformation;
    private final List<UserProperty> userProperties;
    private final ClientAuthentication authentication;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final ReconnectPolicy reconnect;
    private final int maxQueuedPublishes;
    private final long maxQueuedBytes;
    private final int subscriptionBuffer;
    private final TransportOptions transportOptions;
    private final boolean nativeIo;

    private ClientOptions(Builder b) {
        clientId = b.clientId;
        version = b.version;
        keepAlive = b.keepAlive;
        cleanStart = b.cleanStart;
        sessionExpirySeconds = b.sessionExpirySeconds;
        username = b.username;
        password = b.password;
        will = b.will;
        willDelaySeconds = b.willDelaySeconds;
        receiveMaximum = b.receiveMaximum;
        maximumPacketSize = b.maximumPacketSize;
        topicAliasMaximum = b.topicAliasMaximum;
        requestResponseInformation = b.requestResponseInformation;
        requestProblemInformation = b.requestProblemInformation;
        userProperties = List.copyOf(b.userProperties);
        authentication = b.authentication;
        connectTimeout = b.connectTimeout;
        requestTimeout = b.requestTimeout;
        reconnect = b.reconnect;
        maxQueuedPublishes = b.maxQueuedPublishes;
        maxQueuedBytes = b.maxQueuedBytes;
        subscriptionBuffer = b.subscriptionBuffer;
        transportOptions = b.transportOptions;
        nativeIo = b.nativeIo;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The client identifier; empty asks the broker to assign one. */
    public String clientId() {
        return clientId;
    }

    /** The protocol version: 5.0 (default), 3.1.1 or 3.1. */
    public MqttVersion version() {
        return version;
    }

    /** Keep alive in seconds (0 turns it off); a 5.0 broker's Server Keep Alive overrides it. */
    public int keepAlive() {
        return keepAlive;
    }

    /** Clean Start (5.0) or Clean Session (3.1.1) of the first connect; reconnects resume when they can. */
    public boolean cleanStart() {
        return cleanStart;
    }

    /** The 5.0 Session Expiry Interval in seconds; {@code 0xFFFFFFFF} never expires. */
    public long sessionExpirySeconds() {
        return sessionExpirySeconds;
    }

    /** The user name, or {@code null}. */
    public String username() {
        return username;
    }

    /** A copy of the password, or {@code null}. */
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    /** The will message, or {@code null}: its topic, payload, QoS, retain flag and 5.0 will properties. */
    public ApplicationMessage will() {
        return will;
    }

    /** The 5.0 Will Delay Interval in seconds. */
    public long willDelaySeconds() {
        return willDelaySeconds;
    }

    /**
     * The Receive Maximum: QoS 1 and 2 messages the broker may have unacknowledged towards this client. Since
     * messages are acknowledged when the application takes them, it bounds what a slow application buffers.
     */
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /** The largest packet the client accepts, in bytes; 0 for the protocol's limit (5.0: Maximum Packet Size). */
    public int maximumPacketSize() {
        return maximumPacketSize;
    }

    /** Topic aliases the broker may use towards this client (5.0 Topic Alias Maximum). */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /** Whether CONNECT asks for Response Information (5.0). */
    public boolean requestResponseInformation() {
        return requestResponseInformation;
    }

    /** Whether the broker may send Reason Strings and User Properties on failures (5.0; default true). */
    public boolean requestProblemInformation() {
        return requestProblemInformation;
    }

    /** CONNECT's 5.0 User Properties. */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /** 5.0 enhanced authentication, or {@code null}. */
    public ClientAuthentication authentication() {
        return authentication;
    }

    /** How long a connect may take, from dialing to CONNACK (any AUTH exchange included). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long the blocking methods wait for their answer (SUBACK, PUBACK, room to queue). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** When to reconnect after a lost connection. */
    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /** Publishes not yet acknowledged (in flight, waiting for the broker's quota, or made while offline). */
    public int maxQueuedPublishes() {
        return maxQueuedPublishes;
    }

    /** Payload bytes of the publishes not yet acknowledged. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** QoS 0 messages each subscription buffers before dropping more. */
    public int subscriptionBuffer() {
        return subscriptionBuffer;
    }

    /** The options of the transport it dials through (TLS settings, WebSocket headers...). */
    public TransportOptions transportOptions() {
        return transportOptions;
    }

    /**
     * Whether the client's connection runs on Linux epoll when Netty's native library loads (the default);
     * {@code false} puts it on Java NIO. Clients share event loops, one set per I/O engine. The system property
     * {@code -Dzzq.nativeIo=false} turns native I/O off for every client and broker of the JVM.
     */
    public boolean nativeIo() {
        return nativeIo;
    }

    /** Builds {@link ClientOptions}. */
    public static final class Builder {
        private String clientId = "";
        private MqttVersion version = MqttVersion.V5;
        private int keepAlive = 60;
        private boolean cleanStart = true;
        private long sessionExpirySeconds;
        private String username;
        private byte[] password;
        private ApplicationMessage will;
        private long willDelaySeconds;
        private int receiveMaximum = 100;
        private int maximumPacketSize;
        private int topicAliasMaximum = 16;
        private boolean requestResponseInformation;
        private boolean requestProblemInformation = true;
        private final List<UserProperty> userProperties = new ArrayList<>();
        private ClientAuthentication authentication;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private ReconnectPolicy reconnect = ReconnectPolicy.DEFAULT;
        private int maxQueuedPublishes = 1000;
        private long maxQueuedBytes = 64L << 20;
        private int subscriptionBuffer = 1000;
        private TransportOptions transportOptions = TransportOptions.NONE;
        private boolean nativeIo = true;

        private Builder() {
        }

        private Builder(ClientOptions o) {
            clientId = o.clientId;
            version = o.version;
            keepAlive = o.keepAlive;
            cleanStart = o.cleanStart;
            sessionExpirySeconds = o.sessionExpirySeconds;
            username = o.username;
            password = o.password;
            will = o.will;
            willDelaySeconds = o.willDelaySeconds;
            receiveMaximum = o.receiveMaximum;
            maximumPacketSize = o.maximumPacketSize;
            topicAliasMaximum = o.topicAliasMaximum;
            requestResponseInformation = o.requestResponseInformation;
            requestProblemInformation = o.requestProblemInformation;
            userProperties.addAll(o.userProperties);
            authentication = o.authentication;
            connectTimeout = o.connectTimeout;
            requestTimeout = o.requestTimeout;
            reconnect = o.reconnect;
            maxQueuedPublishes = o.maxQueuedPublishes;
            maxQueuedBytes = o.maxQueuedBytes;
            subscriptionBuffer = o.subscriptionBuffer;
            transportOptions = o.transportOptions;
            nativeIo = o.nativeIo;
        }

        /** The client identifier (at most 65 535 UTF-8 bytes); empty asks the broker to assign one. */
        public Builder clientId(String id) {
            clientId = Objects.requireNonNull(id, "clientId");
            return this;
        }

        /** 5.0, 3.1.1 or 3.1. */
        public Builder version(MqttVersion v) {
            version = Objects.requireNonNull(v, "version");
            return this;
        }

        /** 0 to 65 535 seconds; 0 turns keep alive off. */
        public Builder keepAlive(int seconds) {
            keepAlive = OptionChecks.inRange("keep alive", seconds, 0, 65_535);
            return this;
        }

        public Builder cleanStart(boolean clean) {
            cleanStart = clean;
            return this;
        }

        /** 0 to {@code 0xFFFFFFFF} seconds (never expires); 5.0 only. */
        public Builder sessionExpiry(long seconds) {
            sessionExpirySeconds = OptionChecks.inRange("session expiry", seconds, 0, 0xFFFF_FFFFL);
            return this;
        }

        public Builder username(String name) {
            username = name;
            return this;
        }

        /** The password bytes (copied). */
        public Builder password(byte[] bytes) {
            password = bytes == null ? null : bytes.clone();
            return this;
        }

        /** The password as UTF-8. */
        public Builder password(String text) {
            return password(text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The will message ({@code null} for none), published by the broker if the connection ends abnormally. */
        public Builder will(ApplicationMessage message) {
            will = message;
            return this;
        }

        /** The 5.0 Will Delay Interval, 0 to {@code 0xFFFFFFFF} seconds. */
        public Builder willDelay(long seconds) {
            willDelaySeconds = OptionChecks.inRange("will delay", seconds, 0, 0xFFFF_FFFFL);
            return this;
        }

        /** 1 to 65 535. */
        public Builder receiveMaximum(int messages) {
            receiveMaximum = OptionChecks.inRange("receive maximum", messages, 1, 65_535);
            return this;
        }

        /** 0 (the protocol's limit) or 20 to 268 435 460 bytes. */
        public Builder maximumPacketSize(int bytes) {
            maximumPacketSize = bytes == 0 ? 0 : OptionChecks.inRange("maximum packet size", bytes, 20, 268_435_460);
            return this;
        }

        /** 0 to 65 535. */
        public Builder topicAliasMaximum(int aliases) {
            topicAliasMaximum = OptionChecks.inRange("topic alias maximum", aliases, 0, 65_535);
            return this;
        }

        public Builder requestResponseInformation(boolean request) {
            requestResponseInformation = request;
            return this;
        }

        public Builder requestProblemInformation(boolean request) {
            requestProblemInformation = request;
            return this;
        }

        /** Adds a CONNECT User Property (5.0). */
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        /** 5.0 enhanced authentication ({@code null} for none). */
        public Builder authentication(ClientAuthentication auth) {
            authentication = auth;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            connectTimeout = OptionChecks.positive("connect timeout", timeout);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            requestTimeout = OptionChecks.positive("request timeout", timeout);
            return this;
        }

        public Builder reconnect(ReconnectPolicy policy) {
            reconnect = Objects.requireNonNull(policy, "reconnect");
            return this;
        }

        /** 1 to 1 000 000. */
        public Builder maxQueuedPublishes(int publishes) {
            maxQueuedPublishes = OptionChecks.inRange("max queued publishes", publishes, 1, 1_000_000);
            return this;
        }

        /** At least 1. */
        public Builder maxQueuedBytes(long bytes) {
            maxQueuedBytes = OptionChecks.inRange("max queued bytes", bytes, 1, Long.MAX_VALUE);
            return this;
        }

        /** 1 to 1 000 000. */
        public Builder subscriptionBuffer(int messages) {
            subscriptionBuffer = OptionChecks.inRange("subscription buffer", messages, 1, 1_000_000);
            return this;
        }

        /**
         * Options for the transport of the URL dialed, such as TLS settings; an option that transport does not
         * understand fails the connect with {@link IllegalArgumentException}.
         */
        public Builder transportOptions(TransportOptions options) {
            transportOptions = Objects.requireNonNull(options, "transportOptions");
            return this;
        }

        /** {@code false} keeps the client's connection on Java NIO even where epoll is available. */
        public Builder nativeIo(boolean use) {
            nativeIo = use;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException for a combination the protocol forbids: 5.0-only settings with 3.1.1, a
         *                                  password without a user name in 3.1.1, an empty client identifier
         *                                  without a clean session in 3.1.1
         */
        public ClientOptions build() {
            if (!version.isV5()) {
                List<String> v5Only = new ArrayList<>();
                if (sessionExpirySeconds != 0) {
                    v5Only.add("session expiry");
                }
                if (willDelaySeconds != 0) {
                    v5Only.add("will delay");
                }
                if (will != null && !will.properties().isEmpty()) {
                    v5Only.add("will properties");
                }
                if (!userProperties.isEmpty()) {
                    v5Only.add("user properties");
                }
                if (authentication != null) {
                    v5Only.add("enhanced authentication");
                }
                if (requestResponseInformation) {
                    v5Only.add("request response information");
                }
                if (!v5Only.isEmpty()) {
                    throw new IllegalArgumentException("MQTT " + version + " has no " + String.join(", ", v5Only));
                }
                if (password != null && username == null) {
                    throw new IllegalArgumentException("MQTT " + version + " allows a password only with a user name");
                }
                if (clientId.isEmpty() && !cleanStart) {
                    throw new IllegalArgumentException("MQTT " + version
                            + " needs a client identifier for a persistent session (clean session false)");
                }
            }
            if (will != null) {
                Topics.checkName(will.topic());
                will.properties().checkAllowedInWill();
            }
            return new ClientOptions(this);
        }
    }
}
