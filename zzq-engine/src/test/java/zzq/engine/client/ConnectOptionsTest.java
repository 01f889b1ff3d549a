package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zzq.engine.client.ClientTests.done;
import static zzq.engine.client.ClientTests.options;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ClientAuthentication;
import zzq.engine.ClientOptions;
import zzq.engine.ConnectResult;

/** What the client's CONNECT says, option by option, as a broker reads it off the wire. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectOptionsTest {
    @RegisterExtension
    final FakeBroker fake = new FakeBroker();

    private static ApplicationMessage will(Properties props) {
        return ApplicationMessage.builder("will/topic").payload("gone").qos(QoS.AT_LEAST_ONCE).retain(true)
                .properties(props).build();
    }

    /** Connects with these options and returns the CONNECT the broker received. */
    private Connect connectWith(ClientOptions o) throws Exception {
        return fake.connect(fake.client(o)).connect();
    }

    @Test
    @DisplayName("5.0 CONNECT carries every option: flags, credentials, will with properties and delay, limits")
    void everyV5OptionOnTheWire() throws Exception {
        Properties willProps = Properties.builder().add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 30).userProperty("w", "1").build();
        Connect c = connectWith(options().clientId("opts-1").keepAlive(42).cleanStart(false).sessionExpiry(600)
                .username("alice").password("secret").will(will(willProps)).willDelay(7).receiveMaximum(12)
                .maximumPacketSize(4096).topicAliasMaximum(5).requestResponseInformation(true)
                .requestProblemInformation(false).userProperty("k", "v").userProperty("k", "v2").build());

        assertEquals(MqttVersion.V5, c.version());
        assertEquals("opts-1", c.clientId());
        assertEquals(42, c.keepAlive());
        assertFalse(c.cleanStart());
        assertEquals("alice", c.username());
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), c.password().toByteArray());
        Properties p = c.properties();
        assertEquals(600, p.integerOr(PropertyId.SESSION_EXPIRY_INTERVAL, -1));
        assertEquals(12, p.integerOr(PropertyId.RECEIVE_MAXIMUM, -1));
        assertEquals(4096, p.integerOr(PropertyId.MAXIMUM_PACKET_SIZE, -1));
        assertEquals(5, p.integerOr(PropertyId.TOPIC_ALIAS_MAXIMUM, -1));
        assertEquals(1, p.integerOr(PropertyId.REQUEST_RESPONSE_INFORMATION, -1));
        assertEquals(0, p.integerOr(PropertyId.REQUEST_PROBLEM_INFORMATION, -1));
        assertEquals(List.of(new UserProperty("k", "v"), new UserProperty("k", "v2")), p.userProperties(),
                "user properties in order, repeats kept (MQTT-3.1.3-10)");

        Will w = c.will();
        assertEquals("will/topic", w.topic());
        assertEquals(BinaryData.of("gone".getBytes(StandardCharsets.UTF_8)), w.payload());
        assertEquals(QoS.AT_LEAST_ONCE, w.qos());
        assertTrue(w.retain());
        assertEquals(7, w.properties().integerOr(PropertyId.WILL_DELAY_INTERVAL, -1));
        assertEquals("text/plain", w.properties().string(PropertyId.CONTENT_TYPE).orElseThrow());
        assertEquals(30, w.properties().integerOr(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1));
        assertEquals(List.of(new UserProperty("w", "1")), w.properties().userProperties());
    }

    @Test
    @DisplayName("5.0 defaults: clean start, no will, no credentials, Receive Maximum 100, Topic Alias Maximum 16")
    void v5Defaults() throws Exception {
        Connect c = connectWith(options().build());
        assertTrue(c.cleanStart());
        assertEquals("", c.clientId());
        assertEquals(60, c.keepAlive());
        assertNull(c.will());
        assertNull(c.username());
        assertNull(c.password());
        Properties p = c.properties();
        assertEquals(100, p.integerOr(PropertyId.RECEIVE_MAXIMUM, -1));
        assertEquals(16, p.integerOr(PropertyId.TOPIC_ALIAS_MAXIMUM, -1));
        assertFalse(p.contains(PropertyId.SESSION_EXPIRY_INTERVAL), "0 is the default; not sent");
        assertFalse(p.contains(PropertyId.MAXIMUM_PACKET_SIZE));
        assertFalse(p.contains(PropertyId.REQUEST_PROBLEM_INFORMATION), "1 is the default; not sent");
    }

    @Test
    @DisplayName("3.1.1 CONNECT: protocol level 4, clean session, credentials, will; no properties")
    void v311OnTheWire() throws Exception {
        Connect c = connectWith(options().version(MqttVersion.V3_1_1).clientId("old").cleanStart(false)
                .keepAlive(10).username("bob").password("pw").will(will(Properties.EMPTY)).build());
        assertEquals(MqttVersion.V3_1_1, c.version());
        assertEquals("old", c.clientId());
        assertFalse(c.cleanStart());
        assertEquals(10, c.keepAlive());
        assertEquals("bob", c.username());
        assertEquals("will/topic", c.will().topic());
        assertTrue(c.will().properties().isEmpty());
        assertTrue(c.properties().isEmpty());
    }

    @Test
    @DisplayName("the broker's Assigned Client Identifier is the client's from then on, and reconnects send it")
    void assignedClientIdUsedOnReconnect() throws Exception {
        Client client = fake.client(options().build());
        CompletableFuture<ConnectResult> connecting = client.connectAsync(List.of(fake.url()));
        FakeBroker.Conn first = fake.acceptSession(false, Properties.builder()
                .add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "auto-7").build());
        assertEquals("", first.connect().clientId());
        assertEquals("auto-7", done(connecting).clientId());
        assertEquals("auto-7", client.clientId());

        first.close();
        FakeBroker.Conn second = fake.acceptSession();
        assertEquals("auto-7", second.connect().clientId(), "MQTT-3.2.2-16: the assigned identifier");
    }

    @Test
    @DisplayName("ClientOptions.build() refuses each 5.0-only setting with 3.1.1 and 3.1")
    void v5OnlySettingsRefusedFor311() {
        ClientAuthentication auth = new ClientAuthentication() {
            @Override
            public String method() {
                return "M";
            }

            @Override
            public byte[] initialData() {
                return null;
            }

            @Override
            public byte[] challenge(byte[] data) {
                return null;
            }
        };
        List<UnaryOperator<ClientOptions.Builder>> v5Only = List.of(
                b -> b.sessionExpiry(10),
                b -> b.willDelay(5).will(ApplicationMessage.of("w", "x")),
                b -> b.will(will(Properties.builder().add(PropertyId.CONTENT_TYPE, "t").build())),
                b -> b.userProperty("a", "b"),
                b -> b.authentication(auth),
                b -> b.requestResponseInformation(true));
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V3_1)) {
            for (UnaryOperator<ClientOptions.Builder> setting : v5Only) {
                ClientOptions.Builder b = setting.apply(ClientOptions.builder().version(v));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
                assertTrue(e.getMessage().contains("has no"), e.getMessage());
                // the same setting is fine in 5.0
                setting.apply(ClientOptions.builder()).build();
            }
            assertThrows(IllegalArgumentException.class,
                    () -> ClientOptions.builder().version(v).password("p").build(), "MQTT-3.1.2-22");
            assertThrows(IllegalArgumentException.class,
                    () -> ClientOptions.builder().version(v).cleanStart(false).build(), "MQTT-3.1.3-7");
        }
    }

    @Test
    @DisplayName("out-of-range option values are refused by their setters")
    void outOfRangeValuesRefused() {
        ClientOptions.Builder b = ClientOptions.builder();
        assertThrows(IllegalArgumentException.class, () -> b.keepAlive(65_536));
        assertThrows(IllegalArgumentException.class, () -> b.receiveMaximum(0));
        assertThrows(IllegalArgumentException.class, () -> b.maximumPacketSize(19));
        assertThrows(IllegalArgumentException.class, () -> b.sessionExpiry(0x1_0000_0000L));
        assertThrows(IllegalArgumentException.class, () -> b.maxQueuedPublishes(0));
    }
}
