package zzq.engine.client;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import zzq.api.spi.Connection;
import zzq.api.spi.PacketHandler;
import zzq.api.spi.Routing;
import zzq.codec.MqttDecoder;
import zzq.engine.core.Engine;
import zzq.engine.core.NativeIo;
import zzq.engine.core.TransportRegistry;

/**
 * What every client in the JVM shares: one engine (event loops and transports), and the pool of callback
 * threads on which futures complete and user code runs. Sharing lets thousands of clients (a bench, a gateway)
 * run on a few threads; the threads are daemons, so an idle JVM still exits. There is one engine per I/O engine
 * (epoll, NIO), made on first use, and one callback pool for both.
 */
final class ClientEngine {
    private static final class Callbacks {
        static final ExecutorService POOL = newCallbackPool();
    }

    private static final class OnNativeIo {
        static final ClientEngine INSTANCE = new ClientEngine(true);
    }

    private static final class OnNio {
        static final ClientEngine INSTANCE = new ClientEngine(false);
    }

    private final Engine engine;
    private final ExecutorService callbacks;

    private ClientEngine(boolean nativeIo) {
        engine = new Engine(new Engine.Settings(0, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE,
                Duration.ofSeconds(10), 0, nativeIo ? "zzq-client" : "zzq-client-nio", nativeIo),
                TransportRegistry.installed(), e -> new DialOnly());
        callbacks = Callbacks.POOL;
    }

    private static ExecutorService newCallbackPool() {
        AtomicInteger threads = new AtomicInteger();
        // grows with callbacks that block (each subscription runs one at a time), shrinks when idle
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "zzq-client-callback-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * The shared engine for clients that want native I/O or not; where epoll is not there, both are the NIO one,
     * so no second set of loops is made for nothing.
     */
    static ClientEngine get(boolean nativeIo) {
        return nativeIo && NativeIo.choose(true) == NativeIo.EPOLL ? OnNativeIo.INSTANCE : OnNio.INSTANCE;
    }

    Engine engine() {
        return engine;
    }

    ExecutorService callbacks() {
        return callbacks;
    }

    /** The client role never listens: every connection is dialed and carries its own handler. */
    private static final class DialOnly implements Routing {
        @Override
        public PacketHandler accepted(Connection connection) {
            // the engine closes the connection on this
            throw new IllegalStateException("the client engine does not accept connections");
        }

        @Override
        public void close() {
        }
    }
}
