package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zzq.api.spi.Authorizer;
import zzq.api.spi.ClientIdentity;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.property.Properties;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Clients;
import zzq.engine.MqttClientException;
import zzq.engine.ReconnectPolicy;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/** What the client tests share: quick options, waiting on futures, connecting to a {@link FakeBroker}. */
final class ClientTests {
    /** How long a test waits for something that should happen. */
    static final Duration WAIT = Clients.WAIT;
    /** How long a test watches for something that should not happen. */
    static final Duration QUIET = Duration.ofMillis(300);
    /** Reconnects quickly, so reconnect tests stay short. */
    static final ReconnectPolicy FAST = ReconnectPolicy.backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private ClientTests() {
    }

    /** Options with short timeouts and {@link #FAST} reconnects. */
    static ClientOptions.Builder options() {
        return ClientOptions.builder().connectTimeout(Duration.ofSeconds(3)).requestTimeout(WAIT).reconnect(FAST);
    }

    /**
     * An authorizer that refuses publishing to topics under {@code publishPrefix} and subscribing to filters under
     * {@code subscribePrefix} ({@code null}: nothing refused).
     */
    static Authorizer denying(String publishPrefix, String subscribePrefix) {
        return new Authorizer() {
            @Override
            public boolean canPublish(ClientIdentity client, String topic) {
                return publishPrefix == null || !topic.startsWith(publishPrefix);
            }

            @Override
            public boolean canSubscribe(ClientIdentity client, String filter) {
                return subscribePrefix == null || !filter.startsWith(subscribePrefix);
            }

            @Override
            public boolean canReceive(ClientIdentity client, String topic) {
                return true;
            }
        };
    }

    /** Subscribes through {@code c}, which grants the QoS asked for. */
    static Subscription subscribe(Client client, FakeBroker.Conn c, String filter, QoS qos) {
        CompletableFuture<Subscription> done = client.subscribeAsync(SubscribeRequest.of(filter, qos));
        Subscribe s = c.expect(Subscribe.class);
        c.sendQuietly(new Suback(s.packetId(), List.of(ReasonCode.valueOf("GRANTED_QOS_" + qos.value())),
                Properties.EMPTY));
        return done(done);
    }

    /** The future's value, within {@link #WAIT}; its failure fails the test. */
    static <T> T done(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The future's failure, within {@link #WAIT}: an {@link MqttClientException}. */
    static MqttClientException failure(CompletableFuture<?> future) {
        try {
            Object value = future.get(WAIT.toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(MqttClientException.class, e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The future has not completed (checked after the caller's own wait for something else). */
    static void assertPending(CompletableFuture<?> future) {
        assertFalse(future.isDone(), () -> "expected still pending, got " + future);
    }

    /**
     * User code runs on a client callback thread ({@code zzq-client-callback-N}), never on an event loop of the
     * client engine ({@code zzq-client-N-M}).
     */
    static void assertCallbackThread(String threadName) {
        assertTrue(threadName.startsWith("zzq-client-callback-"), "user code ran on " + threadName);
    }
}
