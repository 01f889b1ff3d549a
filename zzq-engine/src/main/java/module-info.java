/**
 * The zzq engine: the per-socket orchestrator, the broker and client roles, and the user-facing
 * {@link zzq.engine.Broker}.
 *
 * <p>Transports are found with {@link java.util.ServiceLoader} by URL scheme; this module never names one.
 */
module zzq.engine {
    requires transitive zzq.api;
    requires org.slf4j;

    exports zzq.engine;
    exports zzq.engine.auth;

    uses zzq.api.spi.Transport;
}
