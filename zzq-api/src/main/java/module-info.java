/**
 * zzq's public value types and the service-provider interfaces that plugins implement.
 *
 * <p>Transports are found by URL scheme: an {@link zzq.api.Endpoint} names the scheme, and a transport module
 * that provides the transport SPI for that scheme carries the bytes. This module depends on the wire codec only;
 * it never names a concrete transport or the engine.
 */
module zzq.api {
    requires transitive zzq.codec;

    exports zzq.api;
}
