package zzq.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.Transport;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;

@Timeout(30)
class TransportRegistryTest {
    /** A transport that only claims schemes: the registry never calls bind or connect here. */
    private abstract static class FakeTransport implements Transport {
        private final Set<String> schemes;

        FakeTransport(String... schemes) {
            this.schemes = Set.of(schemes);
        }

        @Override
        public Set<String> schemes() {
            return schemes;
        }

        @Override
        public int defaultPort(String scheme) {
            return 1;
        }

        @Override
        public Listener bind(Endpoint endpoint, TransportOptions options, TransportContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<Channel> connect(Endpoint endpoint, TransportOptions options, TransportContext context) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class FirstFake extends FakeTransport {
        FirstFake() {
            super("fake", "alpha");
        }
    }

    private static final class SecondFake extends FakeTransport {
        SecondFake() {
            super("beta", "fake");
        }
    }

    @Test
    @DisplayName("two transports claiming one scheme: an error naming the scheme and both classes")
    void twoProvidersOfOneScheme() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TransportRegistry.of(List.of(new FirstFake(), new SecondFake())));
        assertTrue(e.getMessage().contains("'fake'"), e.getMessage());
        assertTrue(e.getMessage().contains(FirstFake.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(SecondFake.class.getName()), e.getMessage());
    }

    @Test
    @DisplayName("an unknown scheme: an error naming it and listing the known ones")
    void unknownScheme() {
        TransportRegistry registry = TransportRegistry.of(List.of(new FirstFake()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.transportFor(Endpoint.parse("nope://127.0.0.1:1")));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("alpha, fake"), e.getMessage());
    }

    @Test
    @DisplayName("an empty registry says that no transport module is installed")
    void emptyRegistry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportRegistry.of(List.of()).transportFor(Endpoint.parse("mqtt://127.0.0.1:1")));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }

    @Test
    @DisplayName("an endpoint without a scheme: a clear error with an example")
    void endpointWithoutScheme() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.parse("127.0.0.1:1883"));
        assertTrue(e.getMessage().contains("no scheme"), e.getMessage());
        assertTrue(e.getMessage().contains("mqtt://"), e.getMessage());
    }

    @Test
    @DisplayName("the installed registry (ServiceLoader) serves mqtt and tcp with the TCP transport")
    void installedFindsTcp() {
        TransportRegistry installed = TransportRegistry.installed();
        assertTrue(installed.schemes().containsAll(Set.of("mqtt", "tcp")), installed.schemes().toString());
        Transport mqtt = installed.transportFor(Endpoint.parse("mqtt://127.0.0.1:1883"));
        Transport tcp = installed.transportFor(Endpoint.parse("tcp://127.0.0.1:1883"));
        assertEquals("zzq.transport.tcp.TcpTransport", mqtt.getClass().getName());
        assertEquals(mqtt, tcp);
        assertEquals(1883, mqtt.defaultPort("mqtt"));
    }

    @Test
    @DisplayName("an option the transport does not understand is refused at bind, naming it")
    void unsupportedOptionAtBind() {
        TransportOption<String> bogus = new TransportOption<>("bogus-option", String.class);
        try (Broker broker = Broker.start(BrokerOptions.DEFAULTS)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> broker.bind("mqtt://127.0.0.1:0", TransportOptions.NONE.with(bogus, "x")));
            assertTrue(e.getMessage().contains("bogus-option"), e.getMessage());
            assertTrue(e.getMessage().contains("'mqtt'"), e.getMessage());
            assertTrue(broker.endpoints().isEmpty(), "nothing was bound");
        }
    }

    @Test
    @DisplayName("binding an unknown scheme fails at bind, naming the scheme")
    void unknownSchemeAtBind() {
        try (Broker broker = Broker.start(BrokerOptions.DEFAULTS)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> broker.bind("nope://127.0.0.1:0"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("mqtt"), e.getMessage());
        }
    }
}
