package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.api.spi.AuthStep;
import zzq.api.spi.EnhancedAuthenticator;
import zzq.codec.ReasonCode;
import zzq.codec.property.BinaryData;
import zzq.engine.BrokerOptions;

/**
 * MQTT 5.0 enhanced authentication (section 4.12) between the HiveMQ client's {@link Mqtt5EnhancedAuthMechanism} and a
 * broker-side {@link EnhancedAuthenticator}: one challenge round, "hello" → "challenge" → "response" → "welcome".
 */
class EnhancedAuthInteropTest extends BrokerFixture {
    private static final String METHOD = "TEST-CHALLENGE";

    /** Exchanges begun at the broker: one per CONNECT and one per re-authentication. */
    private final AtomicInteger exchanges = new AtomicInteger();

    @Override
    BrokerOptions options() {
        EnhancedAuthenticator challenge = new EnhancedAuthenticator() {
            @Override
            public Set<String> methods() {
                return Set.of(METHOD);
            }

            @Override
            public zzq.api.spi.AuthExchange begin(String method, zzq.api.spi.ConnectRequest request) {
                exchanges.incrementAndGet();
                AtomicInteger round = new AtomicInteger();
                return data -> {
                    String got = data == null ? "" : new String(data.toByteArray(), StandardCharsets.UTF_8);
                    if (round.getAndIncrement() == 0) {
                        return got.equals("hello") ? new AuthStep.Continue(BinaryData.of(bytes("challenge")))
                                : new AuthStep.Failure(ReasonCode.NOT_AUTHORIZED);
                    }
                    return got.equals("response") ? new AuthStep.Success(BinaryData.of(bytes("welcome")))
                            : new AuthStep.Failure(ReasonCode.NOT_AUTHORIZED);
                };
            }
        };
        return BrokerOptions.builder().enhancedAuthenticator(challenge).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<ByteBuffer> data) {
        ByteBuffer b = data.orElseThrow().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** The client side: answers the challenge with {@code response}; records what the broker said. */
    private static final class Mechanism implements Mqtt5EnhancedAuthMechanism {
        final String response;
        final CompletableFuture<String> challenge = new CompletableFuture<>();
        final CompletableFuture<String> reAuthChallenge = new CompletableFuture<>();
        final CompletableFuture<String> reAuthSuccess = new CompletableFuture<>();
        volatile boolean reAuthenticating;

        Mechanism(String response) {
            this.response = response;
        }

        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of(METHOD);
        }

        @Override
        public int getTimeout() {
            return (int) WAIT_SECONDS;
        }

        @Override
        public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect,
                                              Mqtt5EnhancedAuthBuilder auth) {
            auth.data(bytes("hello"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
            reAuthenticating = true;
            auth.data(bytes("hello"));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth,
                                                     Mqtt5AuthBuilder authBuilder) {
            (reAuthenticating ? reAuthChallenge : challenge).complete(text(auth.getData()));
            authBuilder.data(bytes(response));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            reAuthSuccess.complete(auth.getData().isPresent() ? text(auth.getData()) : "");
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            // the connect future fails with the CONNACK
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
            reAuthSuccess.completeExceptionally(new AssertionError("re-authentication rejected: " + disconnect));
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
            challenge.completeExceptionally(cause);
        }

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
            reAuthSuccess.completeExceptionally(cause);
        }
    }

    private Mqtt5BlockingClient client(String clientId, Mechanism m) {
        return HiveMq.v5(port, clientId).enhancedAuth(m).buildBlocking();
    }

    @Test
    @DisplayName("one challenge round succeeds: CONNACK 0x00 with the method and the broker's final data"
            + " (MQTT-4.12.0-1, -5, MQTT-3.2.2-20)")
    void challengeAnswered() throws Exception {
        Mechanism m = new Mechanism("response");
        Mqtt5BlockingClient c = client("eauth-ok", m);
        Mqtt5ConnAck ack = c.connect();
        try {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
            assertEquals("challenge", m.challenge.get(WAIT_SECONDS, TimeUnit.SECONDS));
            Mqtt5EnhancedAuth auth = ack.getEnhancedAuth().orElseThrow();
            assertEquals(METHOD, auth.getMethod().toString());
            assertEquals("welcome", text(auth.getData()));
        } finally {
            c.disconnect();
        }
    }

    @Test
    @DisplayName("a wrong answer to the challenge fails the connect with the broker's reason code 0x87"
            + " (MQTT-4.12.0-2)")
    void wrongResponseRefused() throws Exception {
        Mechanism m = new Mechanism("wrong");
        Mqtt5BlockingClient c = client("eauth-bad", m);
        RuntimeException e = assertThrows(RuntimeException.class, c::connect);
        Mqtt5ConnAckException refused = assertInstanceOf(Mqtt5ConnAckException.class, e, e.toString());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
        assertEquals("challenge", m.challenge.get(WAIT_SECONDS, TimeUnit.SECONDS), "the round trip happened");
    }

    @Test
    @DisplayName("client.reauth() runs a second exchange on the live connection and ends with AUTH 0x00"
            + " (MQTT-4.12.1-1, 3.15.2.1)")
    void reAuthentication() throws Exception {
        Mechanism m = new Mechanism("response");
        Mqtt5BlockingClient c = client("eauth-re", m);
        c.connect();
        try {
            assertEquals(1, exchanges.get());
            c.toAsync().reauth().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("challenge", m.reAuthChallenge.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals("welcome", m.reAuthSuccess.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(2, exchanges.get(), "the broker began a second exchange");
            // still connected and working after it
            c.subscribeWith().topicFilter("eauth/t").send();
        } finally {
            c.disconnect();
        }
    }
}
