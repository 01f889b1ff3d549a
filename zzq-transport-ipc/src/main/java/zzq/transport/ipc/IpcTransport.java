package zzq.transport.ipc;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.ServerDomainSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;

/**
 * MQTT over Unix domain sockets: {@code ipc:///path/to/socket} and, on Linux, {@code ipc://@name} in the abstract
 * namespace. No ports.
 *
 * <p>The channel classes come from the engine ({@link TransportContext#serverDomainSocketChannelType()}): Java NIO's
 * take a JDK {@link UnixDomainSocketAddress}; a native transport's (epoll) take Netty's {@link DomainSocketAddress}
 * and alone reach the abstract namespace, which the JDK does not support. This transport never names epoll.
 *
 * <p>At bind, a socket file left behind by a listener that died is removed — only a socket file that nobody accepts
 * on (a test connect is refused); a live socket is "address in use", and any other file (a regular file, a
 * directory, a link) is refused, never deleted. The file is removed when the listener closes.
 */
public final class IpcTransport implements Transport {
    /** Outbound bytes buffered per connection before it reports itself unwritable (backpressure), as over TCP. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);
    /** The file type bits of {@code unix:mode}, and the type of a socket (stat(2): S_IFMT, S_IFSOCK). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    @Override
    public Set<String> schemes() {
        return Set.of("ipc");
    }

    @Override
    public int defaultPort(String scheme) {
        return -1;
    }

    @Override
    public Set<TransportOption<?>> supportedOptions() {
        return Set.of(IpcOptions.PERMISSIONS);
    }

    @Override
    public Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) throws IOException {
        Class<? extends ServerChannel> type = context.serverDomainSocketChannelType();
        boolean nativeSockets = ServerDomainSocketChannel.class.isAssignableFrom(type);
        Path file = null;
        SocketAddress address;
        Set<PosixFilePermission> permissions = null;
        if (endpoint.isAbstractSocket()) {
            address = abstractAddress(endpoint, nativeSockets);
            if (options.get(IpcOptions.PERMISSIONS).isPresent()) {
                throw new IllegalArgumentException("ipc.permissions is for socket files: the abstract socket "
                        + endpoint + " has none");
            }
        } else {
            file = socketFile(endpoint);
            permissions = options.get(IpcOptions.PERMISSIONS).map(IpcOptions::permissions).orElse(null);
            removeStaleSocket(file);
            address = nativeSockets ? new DomainSocketAddress(file.toString()) : UnixDomainSocketAddress.of(file);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(context.group())
                .channel(type)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(handOver(context, endpoint));
        ChannelFuture f = bootstrap.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
        }
        IpcListener listener = new IpcListener(endpoint, f.channel(), file);
        if (permissions != null) {
            try {
                Files.setPosixFilePermissions(file, permissions);
            } catch (IOException | UnsupportedOperationException e) {
                listener.close();
                throw new IOException("cannot set the permissions of " + file + ": " + e, e);
            }
        }
        return listener;
    }

    @Override
    public Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context) {
        Class<? extends Channel> type = context.domainSocketChannelType();
        boolean nativeSockets = io.netty.channel.unix.DomainSocketChannel.class.isAssignableFrom(type);
        SocketAddress address;
        try {
            address = endpoint.isAbstractSocket() ? abstractAddress(endpoint, nativeSockets)
                    : nativeSockets ? new DomainSocketAddress(socketFile(endpoint).toString())
                    : UnixDomainSocketAddress.of(socketFile(endpoint));
        } catch (IOException e) {
            return context.group().next().newFailedFuture(e);
        }
        Promise<Channel> promise = context.group().next().newPromise();
        new Bootstrap()
                .group(context.group())
                .channel(type)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(handOver(context, endpoint))
                .connect(address)
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        promise.trySuccess(f.channel());
                    } else {
                        promise.tryFailure(f.cause());
                    }
                });
        return promise;
    }

    /** Hands each new channel, accepted or dialed, to the engine: ipc adds no handlers of its own. */
    private static ChannelInitializer<Channel> handOver(TransportContext context, Endpoint endpoint) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                context.initialize(ch, endpoint);
            }
        };
    }

    /** Netty's address of an abstract socket: its name after a NUL byte. */
    private static SocketAddress abstractAddress(Endpoint endpoint, boolean nativeSockets) throws IOException {
        if (!nativeSockets) {
            throw new IOException("ipc://@name needs the epoll native transport (Linux abstract sockets are "
                    + "beyond Java NIO), and this engine runs on Java NIO: epoll is off (nativeIo(false), "
                    + "-Dzzq.nativeIo=false) or its native library did not load; or use a socket file, "
                    + "ipc:///path/to/socket");
        }
        return new DomainSocketAddress("\0" + endpoint.path().substring(1));
    }

    private static Path socketFile(Endpoint endpoint) throws IOException {
        try {
            return Path.of(endpoint.path());
        } catch (InvalidPathException e) {
            throw new IOException(endpoint + " is not a valid socket path: " + e.getMessage(), e);
        }
    }

    /**
     * Makes way for a listener at {@code file}: nothing there is fine; a socket file nobody accepts on is deleted;
     * a live socket or anything that is not a socket is an error, and stays.
     */
    static void removeStaleSocket(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException absent) {
            return;
        }
        if (!isSocket(file, attributes)) {
            throw new IOException(file + " exists and is not a socket (" + describe(attributes)
                    + "); refusing to delete it");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(file));
        } catch (ConnectException refused) {
            // a socket file whose listener is gone: stale
            Files.deleteIfExists(file);
            return;
        }
        throw new IOException("address in use: a listener accepts on " + file);
    }

    private static boolean isSocket(Path file, BasicFileAttributes attributes) throws IOException {
        if (!attributes.isOther()) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return true; // "other" and no way to tell a socket from a device or a pipe: the connect decides
        }
    }

    private static String describe(BasicFileAttributes a) {
        return a.isRegularFile() ? "a regular file" : a.isDirectory() ? "a directory"
                : a.isSymbolicLink() ? "a symbolic link" : "a device or a pipe";
    }

    /** A bound listener; closing it unbinds and removes its socket file. */
    private static final class IpcListener implements Listener {
        private final Endpoint endpoint;
        private final Channel server;
        private final Path file;
        private final AtomicBoolean closed = new AtomicBoolean();

        IpcListener(Endpoint endpoint, Channel server, Path file) {
            this.endpoint = endpoint;
            this.server = server;
            this.file = file;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (server.eventLoop().inEventLoop()) {
                server.close(); // cannot wait on the loop that does the closing
            } else {
                server.close().awaitUninterruptibly();
            }
            if (file != null) {
                try {
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (isSocket(file, a)) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException gone) {
                    // already removed (the channel's own close may do it): nothing to do
                }
            }
        }
    }
}
