package zzq.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Endpoint URLs parse into scheme, host, port and path, print back to themselves, and bad ones say why. */
class EndpointTest {
    @Test
    void parsesHostAndPort() {
        Endpoint e = Endpoint.parse("mqtt://127.0.0.1:1883");
        assertEquals(new Endpoint("mqtt", "127.0.0.1", 1883, ""), e);
        assertFalse(e.isWildcardHost());
    }

    @Test
    void leavesAMissingPortToTheTransport() {
        Endpoint e = Endpoint.parse("mqtts://broker.example");
        assertEquals(Endpoint.NO_PORT, e.port());
        assertEquals(8883, e.portOr(8883));
    }

    @Test
    void readsIpv6LiteralsWithoutBrackets() {
        Endpoint e = Endpoint.parse("mqtt://[::1]:0");
        assertEquals("::1", e.host());
        assertEquals(0, e.port());
        assertEquals("mqtt://[::1]:0", e.toString());
    }

    @Test
    void takesStarAndZerosForEveryInterface() {
        assertTrue(Endpoint.parse("mqtt://*:1883").isWildcardHost());
        assertEquals("*", Endpoint.parse("mqtt://*").host());
        assertTrue(Endpoint.parse("mqtt://0.0.0.0:1883").isWildcardHost());
        assertTrue(Endpoint.parse("mqtt://[::]:1883").isWildcardHost());
    }

    @Test
    void keepsWebSocketPaths() {
        Endpoint e = Endpoint.parse("ws://localhost:8080/mqtt");
        assertEquals("/mqtt", e.path());
        assertEquals("ws", e.scheme());
    }

    @Test
    void lowerCasesTheScheme() {
        assertEquals("mqtt", Endpoint.parse("MQTT://localhost:1").scheme());
    }

    @Test
    void parsesUnixSockets() {
        Endpoint file = Endpoint.parse("ipc:///tmp/zzq.sock");
        assertNull(file.host());
        assertEquals("/tmp/zzq.sock", file.path());
        assertFalse(file.isAbstractSocket());
        Endpoint abstractSocket = Endpoint.parse("ipc://@zzq");
        assertTrue(abstractSocket.isAbstractSocket());
        assertEquals("ipc://@zzq", abstractSocket.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtt://127.0.0.1:1883", "mqtt://*:0", "ws://[::1]:8080/mqtt", "ipc:///run/a.sock",
            "ipc://@name", "mqtts://example.org"})
    void printsBackToWhatItParsed(String url) {
        assertEquals(url, Endpoint.parse(url).toString());
        assertEquals(Endpoint.parse(url), Endpoint.parse(Endpoint.parse(url).toString()));
    }

    @Test
    void reportsTheRealPortOfAnAnyPortListener() {
        assertEquals(40123, Endpoint.parse("mqtt://127.0.0.1:0").withPort(40123).port());
    }

    @Test
    void refusesAMissingScheme() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.parse("127.0.0.1:1883"));
        assertTrue(e.getMessage().contains("no scheme"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mqtt://", "mqtt://:1883", "mqtt://host:99999", "mqtt://host:port", "ipc://",
            "ipc://relative/path", "ipc://@", "mqtt://user:pw@host:1", "1mqtt://host"})
    void refusesMalformedEndpointsNamingThem(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(url));
        assertTrue(e.getMessage().contains(url) || e.getMessage().contains("port"), e.getMessage());
    }
}
