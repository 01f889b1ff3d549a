package zzq.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.engine.Broker;
import zzq.engine.Client;
import zzq.engine.Subscription;

/** A broker and clients over {@code ipc:///path}: every QoS, 5.0 and 3.1.1, on epoll, on NIO, and across the two. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpcMessagingTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "broker native={0}, clients native={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    @DisplayName("QoS 0, 1 and 2 over a socket file, whichever I/O engine each side runs on")
    void messagesFlow(boolean brokerNative, boolean clientNative) throws Exception {
        Path file = dir.resolve("zzq.sock");
        try (Broker broker = IpcTests.broker(brokerNative)) {
            Endpoint bound = broker.bind("ipc://" + file);
            assertEquals(Endpoint.parse("ipc://" + file), bound, "an ipc endpoint is reported as given");
            assertTrue(Files.exists(file), "the socket file is there while the listener is");
            IpcTests.roundTrip(bound.toString(), clientNative, MqttVersion.V5);
            IpcTests.roundTrip(bound.toString(), clientNative, MqttVersion.V3_1_1);
        }
    }

    @Test
    @DisplayName("a broker listens on TCP and ipc at once; a socket file and a TCP port reach the same sessions")
    void ipcBesideTcp() throws Exception {
        Path file = dir.resolve("both.sock");
        try (Broker broker = IpcTests.broker(true)) {
            Endpoint tcp = broker.bind("mqtt://127.0.0.1:0");
            Endpoint ipc = broker.bind("ipc://" + file);
            try (Client sub = Client.connect(ipc.toString(), IpcTests.client(true, MqttVersion.V5));
                 Client pub = Client.connect(tcp.toString(), IpcTests.client(true, MqttVersion.V5))) {
                Subscription s = sub.subscribe("x", QoS.AT_LEAST_ONCE);
                pub.publish("x", "over tcp".getBytes(), QoS.AT_LEAST_ONCE, false);
                assertEquals("over tcp", s.receive(IpcTests.WAIT).payloadAsString());
            }
        }
    }
}
