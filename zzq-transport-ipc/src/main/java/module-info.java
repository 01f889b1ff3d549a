/**
 * MQTT over Unix domain sockets: provides the {@code ipc://} scheme. {@code ipc:///path/to/socket} is a socket file
 * (Java NIO, or epoll when the engine runs on it); {@code ipc://@name} is a Linux abstract-namespace socket, which
 * needs the engine on epoll. {@link zzq.transport.ipc.IpcOptions} holds its options.
 */
module zzq.transport.ipc {
    requires zzq.api;
    requires io.netty.transport.unix.common;

    exports zzq.transport.ipc;

    provides zzq.api.spi.Transport with zzq.transport.ipc.IpcTransport;
}
