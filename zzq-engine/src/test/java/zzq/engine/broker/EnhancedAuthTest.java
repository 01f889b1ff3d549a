package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;
import zzq.engine.ChallengeAuthenticator;
import zzq.engine.RawClient;

/** 5.0 enhanced authentication (MQTT 5.0 section 4.12): one challenge round, failures, re-authentication. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnhancedAuthTest extends BrokerTestBase {
    private static final String METHOD = ChallengeAuthenticator.METHOD;

    static BinaryData bytes(String s) {
        return ChallengeAuthenticator.bytes(s);
    }

    private static Properties auth(String method, String data) {
        return Properties.builder().add(PropertyId.AUTHENTICATION_METHOD, method)
                .add(PropertyId.AUTHENTICATION_DATA, bytes(data)).build();
    }

    private RawClient startAndConnect(String method) throws Exception {
        start(BrokerOptions.builder().enhancedAuthenticator(new ChallengeAuthenticator()).build());
        RawClient c = open(MqttVersion.V5);
        c.send(connectPacket(MqttVersion.V5, "e", true, auth(method, "hello"), null));
        return c;
    }

    /** Reads the challenge and answers it with {@code response}; returns what the broker says next. */
    private static <T extends zzq.codec.packet.MqttPacket> T answerChallenge(RawClient c, String response,
                                                                             Class<T> next) throws Exception {
        expectChallenge(c);
        c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, response)));
        return c.expect(next);
    }

    private static void expectChallenge(RawClient c) throws Exception {
        Auth challenge = c.expect(Auth.class);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, challenge.reasonCode());
        assertEquals(METHOD, challenge.properties().string(PropertyId.AUTHENTICATION_METHOD).orElseThrow());
        assertEquals(bytes("challenge"), challenge.properties().binary(PropertyId.AUTHENTICATION_DATA).orElseThrow());
    }

    @Test
    @DisplayName("one challenge: AUTH 0x18, then CONNACK 0x00 with the method (MQTT-4.12.0-2, -5)")
    void oneRoundSucceeds() throws Exception {
        Connack ack = answerChallenge(startAndConnect(METHOD), "response", Connack.class);
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertEquals(METHOD, ack.properties().string(PropertyId.AUTHENTICATION_METHOD).orElseThrow());
        assertEquals(bytes("welcome"), ack.properties().binary(PropertyId.AUTHENTICATION_DATA).orElseThrow());
    }

    @Test
    @DisplayName("a wrong response → CONNACK with the authenticator's failure code, 0x87 (MQTT-4.12.0-4)")
    void wrongResponseRefused() throws Exception {
        RawClient c = startAndConnect(METHOD);
        assertEquals(ReasonCode.NOT_AUTHORIZED, answerChallenge(c, "guess", Connack.class).reasonCode());
        assertClosed(c);
    }

    @Test
    @DisplayName("an unsupported method → CONNACK 0x8C Bad authentication method (MQTT-4.12.0-1)")
    void unsupportedMethod() throws Exception {
        RawClient c = startAndConnect("OTHER");
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, c.expect(Connack.class).reasonCode());
        assertClosed(c);
    }

    @Test
    @DisplayName("re-authentication: AUTH 0x19 → AUTH 0x18 → AUTH 0x00 (4.12.1)")
    void reAuthentication() throws Exception {
        RawClient c = startAndConnect(METHOD);
        assertEquals(ReasonCode.SUCCESS, answerChallenge(c, "response", Connack.class).reasonCode());
        c.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "again")));
        Auth done = answerChallenge(c, "response", Auth.class);
        assertEquals(ReasonCode.SUCCESS, done.reasonCode());
        assertEquals(METHOD, done.properties().string(PropertyId.AUTHENTICATION_METHOD).orElseThrow());
    }

    @Test
    @DisplayName("re-authentication with another method → DISCONNECT 0x82 (MQTT-4.12.1-1)")
    void reAuthenticationWithOtherMethod() throws Exception {
        RawClient c = startAndConnect(METHOD);
        assertEquals(ReasonCode.SUCCESS, answerChallenge(c, "response", Connack.class).reasonCode());
        c.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth("OTHER", "again")));
        assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(zzq.codec.packet.Disconnect.class).reasonCode());
        assertClosed(c);
    }

    @Test
    @DisplayName("AUTH from a client that connected without a method → DISCONNECT 0x82 (MQTT-4.12.0-7)")
    void authWithoutMethodAtConnect() throws Exception {
        start(BrokerOptions.builder().enhancedAuthenticator(new ChallengeAuthenticator()).build());
        RawClient c = client(MqttVersion.V5, "plain");
        c.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "x")));
        assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(zzq.codec.packet.Disconnect.class).reasonCode());
        assertClosed(c);
    }
}
