package zzq.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Subscription;

/** What the ipc tests share: brokers on either I/O engine, a message round trip, stale sockets, bind errors. */
final class IpcTests {
    /** How long a test waits for something that should happen. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Whether this machine must run on epoll by default: Linux on x86-64, the CPU of the shipped native jar. */
    static final boolean EPOLL_EXPECTED = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
            && System.getProperty("os.arch").matches("amd64|x86_64");

    private IpcTests() {
    }

    /** A broker on epoll ({@code nativeIo}, where it loads) or on NIO. */
    static Broker broker(boolean nativeIo) {
        Broker broker = Broker.start(BrokerOptions.builder().nativeIo(nativeIo).sysInterval(Duration.ZERO).build());
        assertEquals(nativeIo && EPOLL_EXPECTED, broker.usesNativeIo(), "the broker's I/O engine");
        return broker;
    }

    /** Client options with short timeouts, on epoll or NIO. */
    static ClientOptions client(boolean nativeIo, MqttVersion version) {
        return ClientOptions.builder().version(version).nativeIo(nativeIo).connectTimeout(WAIT).requestTimeout(WAIT)
                .build();
    }

    /** A subscriber and a publisher dial {@code url}; one message at each QoS goes from one to the other. */
    static void roundTrip(String url, boolean clientNative, MqttVersion version) throws Exception {
        ClientOptions o = client(clientNative, version);
        try (Client sub = Client.connect(url, o); Client pub = Client.connect(url, o)) {
            Subscription s = sub.subscribe("ipc/#", QoS.EXACTLY_ONCE);
            for (QoS q : QoS.values()) {
                pub.publish("ipc/" + q.value(), ("m" + q.value()).getBytes(), q, false);
                ApplicationMessage m = s.receive(WAIT);
                assertNotNull(m, "QoS " + q + " over " + url);
                assertEquals("ipc/" + q.value(), m.topic());
                assertEquals("m" + q.value(), m.payloadAsString());
                assertEquals(q, m.qos());
            }
        }
    }

    /** Leaves a socket file nobody listens on, as a listener that died does: the JDK does not remove it at close. */
    static Path staleSocket(Path file) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(file));
        }
        return file;
    }

    /** The message of the bind failure of {@code url}. */
    static String bindFailure(Broker broker, String url, TransportOptions options) {
        return assertThrows(UncheckedIOException.class, () -> broker.bind(url, options)).getMessage();
    }
}
