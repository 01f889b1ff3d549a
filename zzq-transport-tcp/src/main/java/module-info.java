/**
 * MQTT over plain TCP: provides the {@code mqtt://} (default port 1883) and {@code tcp://} schemes. Exports its
 * transport for transports that run over TCP sockets (TLS) and reuse its listeners and dials.
 */
module zzq.transport.tcp {
    requires transitive zzq.api;

    exports zzq.transport.tcp;

    provides zzq.api.spi.Transport with zzq.transport.tcp.TcpTransport;
}
