/**
 * zzq's public value types and the service-provider interfaces that plugins implement.
 *
 * <p>{@link zzq.api.spi.Transport}s are found by URL scheme: an {@link zzq.api.Endpoint} names the scheme, and a
 * transport module that provides the transport SPI for that scheme carries the bytes. The {@link zzq.api.spi.Routing}
 * SPI is the role (broker or client) an engine plays; {@link zzq.api.spi.Authenticator},
 * {@link zzq.api.spi.EnhancedAuthenticator} and {@link zzq.api.spi.Authorizer} are the auth hooks, and
 * {@link zzq.api.spi.Persistence} the storage of retained messages and sessions. This module never names a
 * concrete transport or the engine.
 */
module zzq.api {
    requires transitive zzq.codec;
    requires transitive io.netty.transport;

    exports zzq.api;
    exports zzq.api.spi;
}
