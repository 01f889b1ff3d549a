/**
 * MQTT over TLS: provides the {@code mqtts://} scheme (default port 8883) for brokers and clients, on the
 * BouncyCastle JSSE provider (used as an object, never installed in the JVM's provider list).
 *
 * <p>Exports {@code zzq.transport.tls}: {@link zzq.transport.tls.TlsOptions} (the settings: certificate, key, CA,
 * client authentication, protocols, hostname verification, the rekey limit) and {@link zzq.transport.tls.TlsHandlers}
 * (the Netty handlers, for other transports that run over TLS, such as {@code wss://}).
 */
module zzq.transport.tls {
    requires transitive zzq.api;
    // mqtts:// is TCP's sockets with TLS in front: its listeners and dials are reused
    requires zzq.transport.tcp;
    requires transitive io.netty.handler;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.tls;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;
    requires org.slf4j;
    requires java.logging;

    exports zzq.transport.tls;

    provides zzq.api.spi.Transport with zzq.transport.tls.TlsTransport;
}
