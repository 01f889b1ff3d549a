package zzq.engine.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.api.Endpoint;
import zzq.api.spi.ConnectionEnd;
import zzq.api.spi.Listener;
import zzq.api.spi.Routing;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttDecoder;
import zzq.codec.ReasonCode;
import zzq.engine.MonitorEvent;

/**
 * The per-socket orchestrator: owns the event loops, the listeners, the connection map, the transport registry and
 * the socket lifecycle, and hands every connection to the role's {@link Routing}, built by a hook at construction.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    /**
     * What an engine needs to know up front.
     *
     * @param ioThreads       event loop threads (0: Netty's default)
     * @param maxPacketSize   the largest packet read from a peer
     * @param connectTimeout  how long a connection may take to finish its handshake
     * @param maxConnections  connections accepted at once (0: no limit)
     * @param threadName      the prefix of the event loops' thread names
     * @param nativeIo        whether to run on epoll when it is available (see {@link NativeIo#choose})
     */
    public record Settings(int ioThreads, int maxPacketSize, Duration connectTimeout, int maxConnections,
                           String threadName, boolean nativeIo) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(threadName, "threadName");
        }

        /** Settings that use native I/O when it is available. */
        public Settings(int ioThreads, int maxPacketSize, Duration connectTimeout, int maxConnections,
                        String threadName) {
            this(ioThreads, maxPacketSize, connectTimeout, maxConnections, threadName, true);
        }
    }

    private final Settings settings;
    private final TransportRegistry transports;
    private final NativeIo io;
    private final EventLoopGroup group;
    private final Routing routing;
    private final EngineStats stats = new EngineStats();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Set<MqttConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private final List<Consumer<? super MonitorEvent>> monitors = new CopyOnWriteArrayList<>();
    private final List<Consumer<? super MonitorEvent>> verboseMonitors = new CopyOnWriteArrayList<>();
    /** Whether any monitor wants every message: read per PUBLISH, so the common case costs one volatile read. */
    private volatile boolean verbose;
    private final Object lifecycleLock = new Object();
    private SocketState state = SocketState.NEW;
    private volatile Endpoint lastEndpoint;

    private final TransportContext context = new EngineContext() {
        @Override
        public EventLoopGroup group() {
            return group;
        }

        @Override
        public void initialize(Channel channel, Endpoint endpoint) {
            channel.pipeline().addLast("mqtt", new MqttConnection(Engine.this,
                    nextConnectionId.getAndIncrement(), endpoint, MqttDecoder.forServer(settings.maxPacketSize())));
        }
    };

    public Engine(Settings settings, TransportRegistry transports, Function<Engine, Routing> buildRouting) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transports = Objects.requireNonNull(transports, "transports");
        this.io = NativeIo.choose(settings.nativeIo());
        if (settings.nativeIo() && io == NativeIo.NIO) {
            if (NativeIo.allowedByProperty()) {
                LOG.debug("{}: on Java NIO, epoll is not available", settings.threadName(),
                        NativeIo.epollUnavailability());
            } else {
                LOG.debug("{}: on Java NIO, native I/O is off (-D{}=false)", settings.threadName(), NativeIo.PROPERTY);
            }
        }
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory(settings.threadName(), true), io.handlerFactory());
        Routing built;
        try {
            built = Objects.requireNonNull(buildRouting.apply(this), "routing");
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.routing = built;
        synchronized (lifecycleLock) {
            state = move(SocketState.OPEN);
        }
    }

    private SocketState move(SocketState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("the engine cannot go from " + state + " to " + next);
        }
        return next;
    }

    /** The event loops, for the routing's timers. */
    public EventLoopGroup group() {
        return group;
    }

    /** The I/O engine the event loops run on: epoll or NIO. */
    public NativeIo io() {
        return io;
    }

    /** The channel classes that fit the engine's loops: what every context of this engine tells its transport. */
    private abstract class EngineContext implements TransportContext {
        @Override
        public Class<? extends ServerChannel> serverSocketChannelType() {
            return io.serverSocketChannelType();
        }

        @Override
        public Class<? extends Channel> socketChannelType() {
            return io.socketChannelType();
        }

        @Override
        public Class<? extends ServerChannel> serverDomainSocketChannelType() {
            return io.serverDomainSocketChannelType();
        }

        @Override
        public Class<? extends Channel> domainSocketChannelType() {
            return io.domainSocketChannelType();
        }
    }

    /** Traffic counters. */
    public EngineStats stats() {
        return stats;
    }

    /** Connections open now (handshaking or ready). */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Binds a listener through the transport of the endpoint's scheme.
     *
     * @return the bound endpoint: port 0 replaced by the real port, the default port filled in
     * @throws IllegalArgumentException for an unknown scheme or an option the transport does not understand
     * @throws UncheckedIOException when the transport cannot bind
     */
    public Endpoint bind(Endpoint endpoint, TransportOptions options) {
        Transport transport = transportWith(endpoint, options);
        Endpoint resolved = withDefaultPort(endpoint, transport);
        synchronized (lifecycleLock) {
            if (state != SocketState.OPEN) {
                throw new IllegalStateException("the engine is " + state + ": cannot bind " + endpoint);
            }
            Listener listener;
            try {
                listener = transport.bind(resolved, options, context);
            } catch (IOException e) {
                emit(new MonitorEvent.BindFailed(resolved, e));
                throw new UncheckedIOException("cannot bind " + resolved + ": " + e.getMessage(), e);
            }
            listeners.add(listener);
            lastEndpoint = listener.endpoint();
        }
        emit(new MonitorEvent.Listening(lastEndpoint));
        LOG.debug("listening on {}", lastEndpoint);
        return lastEndpoint;
    }

    /**
     * How a client's dial speaks: the loop its connection must live on (the client's state is confined to it), its
     * protocol version, the largest packet it reads, and how long CONNECT to CONNACK may take.
     *
     * @param loop            the event loop of the dialing client
     * @param version         the protocol version of the CONNECT it will send
     * @param maxPacketSize   the largest packet read from the broker
     * @param connectTimeout  how long the handshake may take once connected
     * @param handler         builds the connection's packet handler once the channel is up
     */
    public record Dial(io.netty.channel.EventLoop loop, zzq.codec.MqttVersion version, int maxPacketSize,
                       Duration connectTimeout, Function<zzq.api.spi.Connection, zzq.api.spi.PacketHandler> handler) {
        public Dial {
            Objects.requireNonNull(loop, "loop");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(handler, "handler");
        }
    }

    /**
     * Dials {@code endpoint} through the transport of its scheme. The future completes with the channel once
     * connected (the handler is built then) or fails with the transport's error.
     *
     * @throws IllegalArgumentException for an unknown scheme or an option the transport does not understand
     */
    public io.netty.util.concurrent.Future<Channel> dial(Endpoint endpoint, TransportOptions options, Dial dial) {
        Transport transport = transportWith(endpoint, options);
        Endpoint resolved = withDefaultPort(endpoint, transport);
        TransportContext dialContext = new EngineContext() {
            @Override
            public EventLoopGroup group() {
                return dial.loop();
            }

            @Override
            public void initialize(Channel channel, Endpoint at) {
                channel.pipeline().addLast("mqtt", new MqttConnection(Engine.this,
                        nextConnectionId.getAndIncrement(), at,
                        MqttDecoder.forClient(dial.version(), dial.maxPacketSize()), dial.handler(),
                        dial.connectTimeout().toNanos()));
            }
        };
        return transport.connect(resolved, options, dialContext);
    }

    private Transport transportWith(Endpoint endpoint, TransportOptions options) {
        Transport transport = transports.transportFor(endpoint);
        for (TransportOption<?> option : options.options()) {
            if (!transport.supportedOptions().contains(option)) {
                throw new IllegalArgumentException("the transport of '" + endpoint.scheme()
                        + "' does not understand the option " + option + "; it understands "
                        + transport.supportedOptions());
            }
        }
        return transport;
    }

    private static Endpoint withDefaultPort(Endpoint endpoint, Transport transport) {
        return endpoint.port() == Endpoint.NO_PORT
                ? endpoint.withPort(transport.defaultPort(endpoint.scheme())) : endpoint;
    }

    /** The endpoint of the latest bind, with its real port; {@code null} before any. */
    public Endpoint lastEndpoint() {
        return lastEndpoint;
    }

    /** The endpoints of every listener, in bind order. */
    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (Listener l : listeners) {
            all.add(l.endpoint());
        }
        return all;
    }

    /**
     * Adds a receiver of monitor events; it is called on the thread where the event happens and must not block.
     * A verbose monitor also gets an event for every message received and sent.
     */
    public void onMonitorEvent(Consumer<? super MonitorEvent> monitor, boolean wantsMessages) {
        Objects.requireNonNull(monitor, "monitor");
        monitors.add(monitor);
        if (wantsMessages) {
            verboseMonitors.add(monitor);
            verbose = true;
        }
    }

    boolean isVerbose() {
        return verbose;
    }

    /** Emits a per-message event to the verbose monitors only. */
    void emitVerbose(MonitorEvent event) {
        deliver(verboseMonitors, event);
    }

    void emit(MonitorEvent event) {
        deliver(monitors, event);
    }

    private static void deliver(List<Consumer<? super MonitorEvent>> to, MonitorEvent event) {
        for (Consumer<? super MonitorEvent> m : to) {
            try {
                m.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a monitor failed on {}", event, e);
            }
        }
    }

    Routing routing() {
        return routing;
    }

    long connectTimeoutNanos() {
        return settings.connectTimeout().toNanos();
    }

    /** Admits a new connection unless the engine is closing or at its connection limit. */
    boolean admit(MqttConnection connection) {
        synchronized (lifecycleLock) {
            if (state != SocketState.OPEN) {
                return false;
            }
        }
        int max = settings.maxConnections();
        if (max > 0 && admitted.incrementAndGet() > max) {
            admitted.decrementAndGet();
            return false;
        } else if (max <= 0) {
            admitted.incrementAndGet();
        }
        connections.add(connection);
        return true;
    }

    void forget(MqttConnection connection) {
        if (connections.remove(connection)) {
            admitted.decrementAndGet();
        }
    }

    /**
     * Closes the engine: idempotent. Stops the listeners, closes the routing, ends every connection (with a 5.0
     * DISCONNECT 0x8B Server shutting down), emits {@link MonitorEvent.Closed}, and stops the event loops.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (state != SocketState.OPEN) {
                return;
            }
            state = move(SocketState.CLOSING);
        }
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the listener on {} failed", l.endpoint(), e);
            }
            emit(new MonitorEvent.ListenerClosed(l.endpoint()));
        }
        try {
            routing.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the routing failed", e);
        }
        ConnectionEnd shutdown = new ConnectionEnd(ReasonCode.SERVER_SHUTTING_DOWN, false, false,
                "the server is shutting down", null);
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        for (MqttConnection c : connections) {
            closing.add(c.shutdown(shutdown));
        }
        // the loops' shutdown closes every channel at once: let the DISCONNECTs go out first (bounded)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (io.netty.channel.ChannelFuture f : closing) {
            long left = deadline - System.nanoTime();
            if (left > 0 && !f.channel().eventLoop().inEventLoop()) {
                f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        synchronized (lifecycleLock) {
            state = move(SocketState.CLOSED);
        }
        emit(new MonitorEvent.Closed());
    }

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        synchronized (lifecycleLock) {
            return state == SocketState.CLOSING || state == SocketState.CLOSED;
        }
    }
}
