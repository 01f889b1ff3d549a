package zzq.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.engine.Broker;
import zzq.engine.Client;
import zzq.engine.MqttClientException;
import zzq.engine.ReconnectPolicy;

/** {@code ipc://@name}: Linux's abstract namespace on epoll; a clear error on NIO, for a listener and a dial. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbstractSocketTest {
    /** A name no other run on this machine uses (the abstract namespace is per network namespace, not per dir). */
    private final String url = "ipc://@zzq-test-" + UUID.randomUUID();

    @Test
    @DisplayName("on epoll: a broker listens on an abstract name, clients on epoll reach it")
    void abstractNameOnEpoll() throws Exception {
        assumeTrue(IpcTests.EPOLL_EXPECTED, "epoll's native library ships for Linux x86-64");
        try (Broker broker = IpcTests.broker(true)) {
            Endpoint bound = broker.bind(url);
            assertEquals(Endpoint.parse(url), bound);
            IpcTests.roundTrip(url, true, MqttVersion.V5);
            IpcTests.roundTrip(url, true, MqttVersion.V3_1_1);
        }
    }

    @Test
    @DisplayName("the name is free again once the listener closes")
    void nameFreedAtClose() throws Exception {
        assumeTrue(IpcTests.EPOLL_EXPECTED, "epoll's native library ships for Linux x86-64");
        try (Broker broker = IpcTests.broker(true)) {
            broker.bind(url);
        }
        try (Broker again = IpcTests.broker(true)) {
            again.bind(url);
            IpcTests.roundTrip(url, true, MqttVersion.V5);
        }
    }

    @Test
    @DisplayName("on NIO: binding an abstract name says it needs epoll")
    void listenerOnNioIsAClearError() {
        try (Broker broker = IpcTests.broker(false)) {
            String why = IpcTests.bindFailure(broker, url, TransportOptions.NONE);
            assertTrue(why.contains("ipc://@name needs the epoll native transport"), why);
            assertTrue(why.contains("runs on Java NIO"), why);
        }
    }

    @Test
    @DisplayName("on NIO: a client dialing an abstract name fails with the same explanation")
    void dialOnNioIsAClearError() throws Exception {
        assumeTrue(IpcTests.EPOLL_EXPECTED, "a listener needs epoll");
        try (Broker broker = IpcTests.broker(true)) {
            broker.bind(url);
            MqttClientException e = assertThrows(MqttClientException.class, () -> Client.connect(url,
                    IpcTests.client(false, MqttVersion.V5).toBuilder()
                            .reconnect(ReconnectPolicy.NEVER).build()));
            assertTrue(String.valueOf(e.getMessage()).contains("ipc://@name needs the epoll native transport"),
                    e.getMessage());
        }
    }

    @Test
    @DisplayName("socket file permissions make no sense for an abstract name: refused")
    void permissionsOnAbstractNameAreRefused() {
        assumeTrue(IpcTests.EPOLL_EXPECTED, "epoll's native library ships for Linux x86-64");
        try (Broker broker = IpcTests.broker(true)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> broker.bind(url,
                    TransportOptions.NONE.with(IpcOptions.PERMISSIONS, "600")));
            assertTrue(e.getMessage().contains("abstract"), e.getMessage());
        }
    }
}
