package zzq.engine;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.broker.BrokerRouting;
import zzq.engine.core.Engine;
import zzq.engine.core.TransportRegistry;

/**
 * An MQTT 3.1, 3.1.1 and 5.0 broker. Start one with {@link #start(BrokerOptions)}, then {@link #bind} it to one
 * or more endpoints (one per transport scheme and address); {@link #close()} ends every connection and stops it.
 *
 * <pre>{@code
 * try (Broker broker = Broker.start(BrokerOptions.DEFAULTS)) {
 *     Endpoint bound = broker.bind("mqtt://127.0.0.1:0");
 *     System.out.println("listening on " + bound);
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Transports are found by URL scheme among the modules on the module path (see
 * {@link zzq.api.spi.Transport}).
 */
public final class Broker implements AutoCloseable {
    private final Engine engine;
    private final BrokerRouting routing;

    private Broker(BrokerOptions options, TransportRegistry transports) {
        BrokerRouting[] built = new BrokerRouting[1];
        this.engine = new Engine(new Engine.Settings(options.ioThreads(), options.maxPacketSize(),
                options.connectTimeout(), options.maxConnections(), "zzq-broker", options.nativeIo()), transports,
                e -> built[0] = new BrokerRouting(e, options));
        this.routing = built[0];
    }

    /** Starts a broker with these options; it listens nowhere until {@link #bind}. */
    public static Broker start(BrokerOptions options) {
        return new Broker(Objects.requireNonNull(options, "options"), TransportRegistry.installed());
    }

    /**
     * Checks, before any broker starts, that an endpoint URL is one a broker can listen on: it parses, and an
     * installed transport serves its scheme. Configuration readers call it to refuse a bad listener early.
     *
     * @return the parsed endpoint
     * @throws IllegalArgumentException naming the fault (and the schemes that are known)
     */
    public static Endpoint checkListenable(String url) {
        Endpoint endpoint = Endpoint.parse(url);
        TransportRegistry.installed().transportFor(endpoint);
        return endpoint;
    }

    /**
     * Listens on an endpoint URL such as {@code mqtt://0.0.0.0:1883}; port 0 picks a free port.
     *
     * @return the bound endpoint, with its real port
     * @throws IllegalArgumentException     for a malformed URL, or a scheme no installed transport serves
     * @throws java.io.UncheckedIOException when the address cannot be bound
     */
    public Endpoint bind(String url) {
        return bind(url, TransportOptions.NONE);
    }

    /** Listens on an endpoint URL with transport options (a TLS context, a WebSocket path). */
    public Endpoint bind(String url, TransportOptions options) {
        return engine.bind(Endpoint.parse(url), Objects.requireNonNull(options, "options"));
    }

    /**
     * Whether the broker's event loops run on Linux epoll ({@code true}) or Java NIO: epoll unless
     * {@link BrokerOptions#nativeIo()} or {@code -Dzzq.nativeIo=false} turned it off or its native library does not
     * load here.
     */
    public boolean usesNativeIo() {
        return engine.io() == zzq.engine.core.NativeIo.EPOLL;
    }

    /**
     * Why brokers and clients of this JVM would run on Java NIO even with native I/O on in their options, in one
     * line ({@code -Dzzq.nativeIo=false}, or why epoll's native library does not load); empty when they would run
     * on Linux epoll.
     */
    public static Optional<String> whyNoNativeIo() {
        return zzq.engine.core.NativeIo.whyNio();
    }

    /** The endpoint of the latest {@link #bind}, with its real port; {@code null} before any. */
    public Endpoint lastEndpoint() {
        return engine.lastEndpoint();
    }

    /** Every bound endpoint, in bind order. */
    public List<Endpoint> endpoints() {
        return engine.endpoints();
    }

    /** Adds a receiver of monitor events; it runs on the thread of the event and must not block. */
    public void onMonitorEvent(Consumer<? super MonitorEvent> monitor) {
        engine.onMonitorEvent(monitor, false);
    }

    /**
     * Adds a receiver of monitor events that, when {@code verbose}, also gets {@link MonitorEvent.MessageReceived}
     * and {@link MonitorEvent.MessageSent} for every PUBLISH (costly: for debugging and tracing).
     */
    public void onMonitorEvent(Consumer<? super MonitorEvent> monitor, boolean verbose) {
        engine.onMonitorEvent(monitor, verbose);
    }

    /** Figures as {@code $SYS/broker/...} publishes them. */
    public BrokerStatistics statistics() {
        return routing.statistics();
    }

    /**
     * Stops listening, ends every connection (5.0 clients get DISCONNECT 0x8B Server shutting down), publishes
     * nothing more, and stops the threads. Idempotent; returns when done.
     */
    @Override
    public void close() {
        engine.close();
    }
}
