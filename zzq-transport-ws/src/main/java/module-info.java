/**
 * MQTT over WebSockets: provides the {@code ws://} (default port 80) and {@code wss://} (default port 443, TLS from
 * {@code zzq.transport.tls}) schemes on Netty's HTTP codec. Its settings are {@link zzq.transport.ws.WsOptions}, and
 * for {@code wss://} also {@code zzq.transport.tls.TlsOptions}.
 */
module zzq.transport.ws {
    requires zzq.api;
    requires zzq.transport.tcp;
    requires zzq.transport.tls;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires org.slf4j;

    exports zzq.transport.ws;

    provides zzq.api.spi.Transport with zzq.transport.ws.WsTransport;
}
