/**
 * MQTT over WebSockets: provides the {@code ws://} scheme (default port 80) on Netty's HTTP codec. Its settings are
 * {@link zzq.transport.ws.WsOptions}.
 */
module zzq.transport.ws {
    requires zzq.api;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.handler;
    requires org.slf4j;

    exports zzq.transport.ws;

    provides zzq.api.spi.Transport with zzq.transport.ws.WsTransport;
}
