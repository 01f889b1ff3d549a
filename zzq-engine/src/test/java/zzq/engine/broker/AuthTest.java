package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Puback;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.engine.BrokerOptions;
import zzq.engine.RawClient;
import zzq.engine.auth.AclFile;
import zzq.engine.auth.PasswordFile;

/** Authentication and authorization as the client sees them: CONNACK, SUBACK and PUBACK codes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthTest {

    static Connect withCredentials(MqttVersion v, String id, String user, String password) {
        return new Connect(v, id, true, 30, user,
                password == null ? null : BinaryData.of(password.getBytes(StandardCharsets.UTF_8)), null,
                Properties.EMPTY);
    }

    /** 5.0 code, and the 3.1.1 return code it folds to, that a refused CONNECT gets. */
    abstract static class Refusals extends BrokerTestBase {
        void assertRefused(MqttVersion v, Connect c, ReasonCode v5Code, int v311Code) throws Exception {
            RawClient client = open(v);
            Connack ack = connectRaw(client, c);
            if (v == MqttVersion.V5) {
                assertEquals(v5Code, ack.reasonCode());
            } else {
                assertEquals(v311Code, ack.reasonCode().toV3ConnackCode());
            }
            assertEquals(false, ack.sessionPresent(), "MQTT-3.2.2-6");
            assertClosed(client);
        }
    }

    @Nested
    class Authentication extends Refusals {
        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("allowAnonymous(false): no user name → 3.1.1 return code 5 / 5.0 0x87 (3.2.2.2; 3.1.1 3.2.2.3)")
        void anonymousRefused(MqttVersion v) throws Exception {
            start(BrokerOptions.builder().allowAnonymous(false).build());
            assertRefused(v, withCredentials(v, "a", null, null), ReasonCode.NOT_AUTHORIZED, 5);
        }

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("an Authenticator's refusal code reaches the client (5.0 as is, 3.1.1 folded)")
        void customAuthenticatorRefuses(MqttVersion v) throws Exception {
            start(BrokerOptions.builder().authenticator(r -> ReasonCode.BANNED).build());
            assertRefused(v, withCredentials(v, "a", "u", "p"), ReasonCode.BANNED, 5);
        }

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("an Authenticator answering SUCCESS (not an error) accepts: the connection stays, as its CONNACK says")
        void successIsNoRefusal(MqttVersion v) throws Exception {
            start(BrokerOptions.builder().authenticator(r -> ReasonCode.SUCCESS).build());
            RawClient c = client(withCredentials(v, "a", "u", "p"));
            c.send(zzq.codec.packet.Pingreq.INSTANCE);
            c.expect(zzq.codec.packet.Pingresp.class);
        }

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("PasswordFile: right password accepted, wrong → 5.0 0x86 / 3.1.1 return code 4")
        void passwordFile(MqttVersion v) throws Exception {
            PasswordFile pw = PasswordFile.parse(Path.of("test.pw"),
                    List.of(PasswordFile.hash("alice", "secret".getBytes(StandardCharsets.UTF_8), 1)));
            start(BrokerOptions.builder().authenticator(pw).build());
            client(withCredentials(v, "ok", "alice", "secret"));
            assertRefused(v, withCredentials(v, "bad", "alice", "wrong"), ReasonCode.BAD_USER_NAME_OR_PASSWORD, 4);
            assertRefused(v, withCredentials(v, "who", "bob", "secret"), ReasonCode.BAD_USER_NAME_OR_PASSWORD, 4);
        }
    }

    @Nested
    class Authorization extends BrokerTestBase {
        private void startWithAcl() throws Exception {
            AclFile acl = AclFile.parse(Path.of("test.acl"), List.of(
                    "user alice",
                    "topic readwrite ok/#",
                    "topic deny ok/secret",
                    "topic read ro/#",
                    "user bob",
                    "topic write ok/#"));
            start(BrokerOptions.builder().authorizer(acl).build());
        }

        @ParameterizedTest
        @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
        @DisplayName("subscribe denied by the ACL → SUBACK 0x87 (5.0) / 0x80 (3.1.1) (3.9.3; 3.1.1 3.9.3)")
        void subscribeDenied(MqttVersion v) throws Exception {
            startWithAcl();
            RawClient c = client(withCredentials(v, "c", "alice", null));
            assertEquals(List.of(ReasonCode.GRANTED_QOS_1), subscribe(c, 1, "ok/t", QoS.AT_LEAST_ONCE).reasonCodes());
            List<ReasonCode> denied = subscribe(c, 2, "no/t", QoS.AT_LEAST_ONCE).reasonCodes();
            assertEquals(1, denied.size());
            if (v == MqttVersion.V5) {
                assertEquals(ReasonCode.NOT_AUTHORIZED, denied.get(0));
            } else {
                assertEquals(0x80, denied.get(0).toV3SubackCode());
            }
        }

        @Test
        @DisplayName("publish denied by the ACL → 5.0 PUBACK 0x87, not delivered (3.4.2.1)")
        void publishDenied() throws Exception {
            startWithAcl();
            RawClient s = client(withCredentials(MqttVersion.V5, "s", "alice", null));
            subscribe(s, 1, "ro/t", QoS.AT_LEAST_ONCE);
            RawClient p = client(withCredentials(MqttVersion.V5, "p", "alice", null));
            p.send(publish("ro/t", "x", QoS.AT_LEAST_ONCE, 1, false, Properties.EMPTY));
            Puback ack = p.expect(Puback.class);
            assertEquals(1, ack.packetId());
            assertEquals(ReasonCode.NOT_AUTHORIZED, ack.reasonCode());
            expectNothing(s);
        }

        @Test
        @DisplayName("a message on a topic the subscriber may not read is not delivered, live or retained (ACL read right)")
        void unreadableTopicNotDelivered() throws Exception {
            startWithAcl();
            RawClient bob = client(withCredentials(MqttVersion.V5, "b", "bob", null));
            // accepted (bob may write), though nobody subscribes yet
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS,
                    publishAcked(bob, "ok/secret", "kept", 1, true, Properties.EMPTY).reasonCode());
            RawClient alice = client(withCredentials(MqttVersion.V5, "a", "alice", null));
            subscribe(alice, 1, "ok/#", QoS.AT_LEAST_ONCE);
            expectNothing(alice);
            publishAcked(bob, "ok/secret", "live", 2, false, Properties.EMPTY);
            publishAcked(bob, "ok/open", "open", 3, false, Properties.EMPTY);
            assertEquals("ok/open", receive(alice).topic(), "only the readable one");
        }

        @Test
        @DisplayName("a will on a topic its client may not publish to is not published (ACL write right)")
        void willNeedsPublishRight() throws Exception {
            startWithAcl();
            RawClient alice = client(withCredentials(MqttVersion.V5, "a", "alice", null));
            subscribe(alice, 1, "ro/#", QoS.AT_LEAST_ONCE);
            zzq.codec.packet.Will will = new zzq.codec.packet.Will("ro/will",
                    BinaryData.of(new byte[] {1}), QoS.AT_LEAST_ONCE, false, Properties.EMPTY);
            client(new Connect(MqttVersion.V5, "w", true, 30, "alice", null, will, Properties.EMPTY)).close();
            awaitConnected(1);
            expectNothing(alice);
        }
    }
}
