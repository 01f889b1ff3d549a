/** MQTT over plain TCP: provides the {@code mqtt://} (default port 1883) and {@code tcp://} schemes. */
module zzq.transport.tcp {
    requires zzq.api;

    provides zzq.api.spi.Transport with zzq.transport.tcp.TcpTransport;
}
