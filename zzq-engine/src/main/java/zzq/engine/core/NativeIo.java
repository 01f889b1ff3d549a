package zzq.engine.core;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Optional;

/**
 * The two I/O engines an {@link Engine} can run its event loops on, and the channel classes that fit each: Linux
 * epoll through Netty's native transport, when its native library loads, or Java NIO everywhere else.
 *
 * <p>Epoll is used unless it is turned off, by an option ({@code BrokerOptions.nativeIo(false)},
 * {@code ClientOptions.nativeIo(false)}) or for the whole JVM by the system property
 * {@code -Dzzq.nativeIo=false}, or unless {@link Epoll#isAvailable()} says no: not Linux, another CPU than the
 * native jar's, or the native module {@code io.netty.transport.epoll.linux.x86_64} not on the module path.
 */
public enum NativeIo {
    /** Linux epoll, through {@code netty-transport-native-epoll}. */
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class, EpollServerDomainSocketChannel.class,
            EpollDomainSocketChannel.class),
    /** Java NIO: every platform. */
    NIO(NioServerSocketChannel.class, NioSocketChannel.class, NioServerDomainSocketChannel.class,
            NioDomainSocketChannel.class);

    /** The system property that, set to {@code false}, keeps every engine of the JVM on NIO. */
    public static final String PROPERTY = "zzq.nativeIo";

    private final Class<? extends ServerChannel> serverSocket;
    private final Class<? extends Channel> socket;
    private final Class<? extends ServerChannel> serverDomainSocket;
    private final Class<? extends Channel> domainSocket;

    NativeIo(Class<? extends ServerChannel> serverSocket, Class<? extends Channel> socket,
             Class<? extends ServerChannel> serverDomainSocket, Class<? extends Channel> domainSocket) {
        this.serverSocket = serverSocket;
        this.socket = socket;
        this.serverDomainSocket = serverDomainSocket;
        this.domainSocket = domainSocket;
    }

    /**
     * The I/O engine to run on: epoll when {@code wanted}, the system property does not say {@code false}, and
     * epoll's native library loads; NIO otherwise.
     */
    public static NativeIo choose(boolean wanted) {
        return wanted && allowedByProperty() && Available.EPOLL ? EPOLL : NIO;
    }

    /** Whether the system property leaves native I/O on (it does unless it is {@code false}). */
    public static boolean allowedByProperty() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** Why epoll cannot be used here, or {@code null} when it can. */
    public static Throwable epollUnavailability() {
        return Available.EPOLL ? null : Available.CAUSE;
    }

    /**
     * Why engines of this JVM run on Java NIO even when they want native I/O, in one line; empty when they can run
     * on epoll. (The system property is checked first: when it says no, the native library is not even loaded.)
     */
    public static Optional<String> whyNio() {
        if (!allowedByProperty()) {
            return Optional.of("turned off by -D" + PROPERTY + "=false");
        }
        Throwable cause = epollUnavailability();
        return cause == null ? Optional.empty() : Optional.of("epoll is unavailable: " + cause);
    }

    /** Whether epoll loaded; asked once, and only when native I/O is wanted (the check loads a native library). */
    private static final class Available {
        static final boolean EPOLL;
        static final Throwable CAUSE;

        static {
            boolean ok;
            Throwable cause;
            try {
                ok = Epoll.isAvailable();
                cause = Epoll.unavailabilityCause();
            } catch (LinkageError e) {
                ok = false;
                cause = e;
            }
            EPOLL = ok;
            CAUSE = cause;
        }
    }

    /** The factory of this engine's I/O handlers, for a {@code MultiThreadIoEventLoopGroup}. */
    IoHandlerFactory handlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The listening TCP socket class that fits this engine's loops. */
    public Class<? extends ServerChannel> serverSocketChannelType() {
        return serverSocket;
    }

    /** The connected TCP socket class that fits this engine's loops. */
    public Class<? extends Channel> socketChannelType() {
        return socket;
    }

    /** The listening Unix domain socket class that fits this engine's loops. */
    public Class<? extends ServerChannel> serverDomainSocketChannelType() {
        return serverDomainSocket;
    }

    /** The connected Unix domain socket class that fits this engine's loops. */
    public Class<? extends Channel> domainSocketChannelType() {
        return domainSocket;
    }
}
