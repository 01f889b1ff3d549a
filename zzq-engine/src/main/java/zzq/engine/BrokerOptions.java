package zzq.engine;

import java.time.Duration;
import java.util.Objects;
import zzq.api.spi.Authenticator;
import zzq.api.spi.Authorizer;
import zzq.api.spi.EnhancedAuthenticator;
import zzq.api.spi.Persistence;

/**
 * Every limit and hook of a {@link Broker}, immutable. Defaults are safe for a public network: bounded packets,
 * queues and in-flight windows. Build with {@link #builder()}; each setter checks its value at once.
 *
 * <p>The limits carry Mosquitto's names where Mosquitto has one ({@code max_keepalive}, {@code max_packet_size},
 * {@code max_inflight_messages}, {@code max_topic_alias}, {@code max_queued_messages}, {@code max_connections}).
 */
public final class BrokerOptions {
    /** The options with every default. */
    public static final BrokerOptions DEFAULTS = builder().build();

    private final int maxKeepAlive;
    private final int maxPacketSize;
    private final int maxInflightMessages;
    private final int maxTopicAlias;
    private final int maxQueuedMessages;
    private final long maxQueuedBytes;
    private final int maxConnections;
    private final long maxSessionExpirySeconds;
    private final Duration connectTimeout;
    private final Duration sysInterval;
    private final int ioThreads;
    private final boolean nativeIo;
    private final boolean allowAnonymous;
    private final Authenticator authenticator;
    private final EnhancedAuthenticator enhancedAuthenticator;
    private final Authorizer authorizer;
    private final Persistence persistence;

    private BrokerOptions(Builder b) {
        maxKeepAlive = b.maxKeepAlive;
        maxPacketSize = b.maxPacketSize;
        maxInflightMessages = b.maxInflightMessages;
        maxTopicAlias = b.maxTopicAlias;
        maxQueuedMessages = b.maxQueuedMessages;
        maxQueuedBytes = b.maxQueuedBytes;
        maxConnections = b.maxConnections;
        maxSessionExpirySeconds = b.maxSessionExpirySeconds;
        connectTimeout = b.connectTimeout;
        sysInterval = b.sysInterval;
        ioThreads = b.ioThreads;
        nativeIo = b.nativeIo;
        allowAnonymous = b.allowAnonymous;
        authenticator = b.authenticator;
        enhancedAuthenticator = b.enhancedAuthenticator;
        authorizer = b.authorizer;
        persistence = b.persistence;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The largest keep alive granted, in seconds; a 5.0 client asking more gets Server Keep Alive. */
    public int maxKeepAlive() {
        return maxKeepAlive;
    }

    /** The largest packet accepted, in bytes (5.0: Maximum Packet Size in CONNACK); bigger ones disconnect. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** The Receive Maximum: QoS 1 and 2 messages a client may have unacknowledged towards the broker. */
    public int maxInflightMessages() {
        return maxInflightMessages;
    }

    /** The Topic Alias Maximum the broker accepts from a 5.0 client; 0 turns client aliases off. */
    public int maxTopicAlias() {
        return maxTopicAlias;
    }

    /** Messages a session may hold that are not yet sent (past its in-flight window, or while offline). */
    public int maxQueuedMessages() {
        return maxQueuedMessages;
    }

    /** Payload bytes a session may hold that are not yet sent. */
    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** Connections the broker accepts at once; 0 for no limit. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The longest Session Expiry Interval granted, in seconds; {@code 0xFFFFFFFF} for never. */
    public long maxSessionExpirySeconds() {
        return maxSessionExpirySeconds;
    }

    /** How long a new connection may take to send CONNECT (and finish any AUTH exchange). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How often {@code $SYS/broker/...} is published; zero turns it off. */
    public Duration sysInterval() {
        return sysInterval;
    }

    /** Event loop threads; 0 for Netty's default (twice the processors). */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Whether the event loops run on Linux epoll when Netty's native library loads (the default); {@code false}
     * keeps them on Java NIO. The system property {@code -Dzzq.nativeIo=false} turns native I/O off for every
     * broker and client of the JVM.
     */
    public boolean nativeIo() {
        return nativeIo;
    }

    /** Whether a client without a user name may connect. */
    public boolean allowAnonymous() {
        return allowAnonymous;
    }

    /** Decides on user names and passwords; {@link Authenticator#ALLOW_ALL} by default. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** Serves 5.0 enhanced authentication, or {@code null} (a CONNECT with a method is refused, 0x8C). */
    public EnhancedAuthenticator enhancedAuthenticator() {
        return enhancedAuthenticator;
    }

    /** Decides on topics; {@link Authorizer#ALLOW_ALL} by default. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** Where retained messages and sessions are kept; {@link Persistence#NONE} (memory only) by default. */
    public Persistence persistence() {
        return persistence;
    }

    @Override
    public String toString() {
        return "BrokerOptions[maxKeepAlive=" + maxKeepAlive + ", maxPacketSize=" + maxPacketSize
                + ", maxInflightMessages=" + maxInflightMessages + ", maxTopicAlias=" + maxTopicAlias
                + ", maxQueuedMessages=" + maxQueuedMessages + ", maxQueuedBytes=" + maxQueuedBytes
                + ", maxConnections=" + maxConnections + ", maxSessionExpirySeconds=" + maxSessionExpirySeconds
                + ", connectTimeout=" + connectTimeout + ", sysInterval=" + sysInterval + ", ioThreads=" + ioThreads + ", nativeIo=" + nativeIo
                + ", allowAnonymous=" + allowAnonymous + "]";
    }

    /** Builds {@link BrokerOptions}; not thread-safe. */
    public static final class Builder {
        private int maxKeepAlive = 65_535;
        private int maxPacketSize = 1024 * 1024;
        private int maxInflightMessages = 20;
        private int maxTopicAlias = 10;
        private int maxQueuedMessages = 1000;
        private long maxQueuedBytes = 64L * 1024 * 1024;
        private int maxConnections = 0;
        private long maxSessionExpirySeconds = 0xFFFF_FFFFL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration sysInterval = Duration.ofSeconds(10);
        private int ioThreads = 0;
        private boolean nativeIo = true;
        private boolean allowAnonymous = true;
        private Authenticator authenticator = Authenticator.ALLOW_ALL;
        private EnhancedAuthenticator enhancedAuthenticator;
        private Authorizer authorizer = Authorizer.ALLOW_ALL;
        private Persistence persistence = Persistence.NONE;

        private Builder() {
        }

        private Builder(BrokerOptions o) {
            maxKeepAlive = o.maxKeepAlive;
            maxPacketSize = o.maxPacketSize;
            maxInflightMessages = o.maxInflightMessages;
            maxTopicAlias = o.maxTopicAlias;
            maxQueuedMessages = o.maxQueuedMessages;
            maxQueuedBytes = o.maxQueuedBytes;
            maxConnections = o.maxConnections;
            maxSessionExpirySeconds = o.maxSessionExpirySeconds;
            connectTimeout = o.connectTimeout;
            sysInterval = o.sysInterval;
            ioThreads = o.ioThreads;
            nativeIo = o.nativeIo;
            allowAnonymous = o.allowAnonymous;
            authenticator = o.authenticator;
            enhancedAuthenticator = o.enhancedAuthenticator;
            authorizer = o.authorizer;
            persistence = o.persistence;
        }

        /** 1 to 65 535 seconds (Mosquitto: {@code max_keepalive}). */
        public Builder maxKeepAlive(int seconds) {
            maxKeepAlive = OptionChecks.inRange("max keepalive", seconds, 1, 65_535);
            return this;
        }

        /** 20 bytes to 268 435 460 (Mosquitto: {@code max_packet_size}). */
        public Builder maxPacketSize(int bytes) {
            maxPacketSize = OptionChecks.inRange("max packet size", bytes, 20, 268_435_460);
            return this;
        }

        /** 1 to 65 535 (Mosquitto: {@code max_inflight_messages}; the 5.0 Receive Maximum). */
        public Builder maxInflightMessages(int messages) {
            maxInflightMessages = OptionChecks.inRange("max inflight messages", messages, 1, 65_535);
            return this;
        }

        /** 0 to 65 535 (Mosquitto: {@code max_topic_alias}). */
        public Builder maxTopicAlias(int aliases) {
            maxTopicAlias = OptionChecks.inRange("max topic alias", aliases, 0, 65_535);
            return this;
        }

        /** 1 or more (Mosquitto: {@code max_queued_messages}). */
        public Builder maxQueuedMessages(int messages) {
            maxQueuedMessages = OptionChecks.inRange("max queued messages", messages, 1, Integer.MAX_VALUE);
            return this;
        }

        /** 1 or more (Mosquitto: {@code max_queued_bytes}, which there may be 0 for no limit; here a limit is kept). */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max queued bytes must be at least 1, not " + bytes);
            }
            maxQueuedBytes = bytes;
            return this;
        }

        /** 0 for no limit (Mosquitto: {@code max_connections}, -1 there). */
        public Builder maxConnections(int connections) {
            maxConnections = OptionChecks.inRange("max connections", connections, 0, Integer.MAX_VALUE);
            return this;
        }

        /** 0 to 4 294 967 295 seconds (the last meaning never). */
        public Builder maxSessionExpirySeconds(long seconds) {
            if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("max session expiry must be 0 to 4294967295 seconds, not "
                        + seconds);
            }
            maxSessionExpirySeconds = seconds;
            return this;
        }

        /** More than zero. */
        public Builder connectTimeout(Duration timeout) {
            connectTimeout = OptionChecks.positive("connect timeout", timeout);
            return this;
        }

        /** Zero turns {@code $SYS} off (Mosquitto: {@code sys_interval}). */
        public Builder sysInterval(Duration interval) {
            sysInterval = OptionChecks.notNegative("sys interval", interval);
            return this;
        }

        /** 0 for Netty's default. */
        public Builder ioThreads(int threads) {
            ioThreads = OptionChecks.inRange("io threads", threads, 0, 1024);
            return this;
        }

        /** {@code false} keeps the event loops on Java NIO even where epoll is available. */
        public Builder nativeIo(boolean use) {
            nativeIo = use;
            return this;
        }

        /** Whether a client without a user name may connect (Mosquitto: {@code allow_anonymous}). */
        public Builder allowAnonymous(boolean allow) {
            allowAnonymous = allow;
            return this;
        }

        public Builder authenticator(Authenticator value) {
            authenticator = Objects.requireNonNull(value, "authenticator");
            return this;
        }

        /** {@code null} for none. */
        public Builder enhancedAuthenticator(EnhancedAuthenticator value) {
            enhancedAuthenticator = value;
            return this;
        }

        public Builder authorizer(Authorizer value) {
            authorizer = Objects.requireNonNull(value, "authorizer");
            return this;
        }

        public Builder persistence(Persistence value) {
            persistence = Objects.requireNonNull(value, "persistence");
            return this;
        }

        public BrokerOptions build() {
            return new BrokerOptions(this);
        }
    }
}
