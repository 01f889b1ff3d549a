package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.WAIT;
import static zzq.engine.client.ClientTests.options;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.Client;
import zzq.engine.Clients;
import zzq.engine.MonitorEvent;
import zzq.engine.MonitorLog;

/** The client's keep alive: PINGREQ on an idle link, a silent broker noticed, the broker's Server Keep Alive. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientKeepAliveTest {
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @Test
    @DisplayName("an idle link gets a PINGREQ within the keep alive, and answered pings keep it up (MQTT-3.1.2-20)")
    void pingsOnIdleLink() throws Exception {
        MonitorLog events = new MonitorLog();
        Client client = fake.client(options().keepAlive(1).build());
        client.onMonitorEvent(events);
        long start = System.nanoTime(); // no later than the client's clock starts
        FakeBroker.Conn c = fake.connect(client);
        for (int i = 0; i < 3; i++) {
            c.expect(Pingreq.class);
            long at = millisSince(start);
            assertTrue(at <= 1000 * (i + 1) + 300, "PINGREQ " + i + " after " + at + " ms");
            c.send(Pingresp.INSTANCE);
        }
        assertTrue(millisSince(start) >= 1400, "three pings span more than 1.5 x keep alive");
        assertTrue(client.isConnected(), "answered pings keep the link");
        assertEquals(0, events.count(MonitorEvent.Disconnected.class));
    }

    @Test
    @DisplayName("a broker that reads but never answers is noticed within 1.5 x keep alive; the client reconnects")
    void silentBrokerNoticed() throws Exception {
        MonitorLog events = new MonitorLog();
        Client client = fake.client(options().keepAlive(1).build());
        client.onMonitorEvent(events);
        long start = System.nanoTime(); // no later than the CONNACK, the last thing the broker says
        FakeBroker.Conn c = fake.connect(client);
        c.expect(Pingreq.class); // never answered
        MonitorEvent.Disconnected d = events.await(MonitorEvent.Disconnected.class, e -> true, WAIT);
        long noticed = millisSince(start);
        assertTrue(noticed >= 1450 && noticed <= 1500 + 500, "noticed after " + noticed + " ms (MQTT-3.1.2-24)");
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, d.reasonCode());
        assertTrue(c.awaitClosed(WAIT), "the client hangs up");
        MonitorEvent.ConnectRetried r = events.await(MonitorEvent.ConnectRetried.class, e -> true, WAIT);
        assertEquals(1, r.attempt());
        FakeBroker.Conn again = fake.acceptSession();
        assertEquals(client.clientId(), again.connect().clientId());
        Clients.awaitTrue(() -> events.count(MonitorEvent.Connected.class) == 2, WAIT, "connected again");
    }

    @Test
    @DisplayName("the broker's Server Keep Alive overrides the client's (MQTT-3.2.2-21)")
    void serverKeepAliveOverrides() throws Exception {
        Client client = fake.client(options().keepAlive(600).build());
        FakeBroker.Conn c = fake.connect(client, Properties.builder().add(PropertyId.SERVER_KEEP_ALIVE, 1).build());
        long start = System.nanoTime();
        assertInstanceOf(Pingreq.class, c.poll(WAIT));
        assertTrue(millisSince(start) <= 1300, "pinged after " + millisSince(start) + " ms, not 600 s");
    }
}
