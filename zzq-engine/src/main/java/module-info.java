/**
 * The zzq engine: the per-socket orchestrator, the broker and client roles, and the user-facing
 * {@link zzq.engine.Broker}.
 *
 * <p>Transports are found with {@link java.util.ServiceLoader} by URL scheme; this module never names one.
 */
module zzq.engine {
    requires transitive zzq.api;
    requires org.slf4j;
    // Netty's epoll classes (pure Java): the engine runs on them when the native library loads (NativeIo). The
    // native library itself is the separate module io.netty.transport.epoll.linux.x86_64, which nothing requires:
    // it only has to be on the module path and resolved (--add-modules ALL-MODULE-PATH, as ./zzq does).
    requires io.netty.transport.classes.epoll;

    exports zzq.engine;
    exports zzq.engine.auth;

    uses zzq.api.spi.Transport;
    uses zzq.api.spi.PersistenceProvider;
}
