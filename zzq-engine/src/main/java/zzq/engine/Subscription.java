package zzq.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import zzq.codec.ReasonCode;

/**
 * The messages of one {@link Client#subscribe SUBSCRIBE}: its filters, the broker's answer for each, and a bounded
 * buffer of the messages that matched them. Consume them in one of three ways, chosen by the first call:
 * <ul>
 *   <li>{@link #receive(Duration)}: blocking iteration, with a timeout;</li>
 *   <li>{@link #onMessage(Consumer)}: a callback, called on a client callback thread, one message at a time;</li>
 *   <li>{@link #publisher()}: a {@link Flow.Publisher} that honours its subscriber's demand.</li>
 * </ul>
 *
 * <p><b>Flow control.</b> A QoS 1 or 2 message is acknowledged to the broker only once the application has taken
 * it (returned from {@code receive}, or the callback or {@code onNext} returned). Since the broker may have only
 * Receive Maximum unacknowledged messages towards the client, an application slower than the network holds the
 * broker back instead of filling memory; a broker that sends more anyway (Mosquitto 2.0 does at times) is taken,
 * up to twice the Receive Maximum, where the client stops reading from the network until the application
 * catches up. <b>QoS 0</b> messages cannot be held back: when the
 * buffer holds {@link ClientOptions#subscriptionBuffer()} messages, further QoS 0 messages for it are dropped and
 * counted in {@link #droppedMessages()}.
 *
 * <p>Thread-safe. A message matching several subscriptions of one client is delivered to each.
 */
public interface Subscription extends AutoCloseable {
    /** The topic filters, as subscribed. */
    List<String> filters();

    /**
     * The broker's answer for each filter, in order: a granted QoS ({@link ReasonCode#GRANTED_QOS_0} to
     * {@link ReasonCode#GRANTED_QOS_2}) or a refusal. Empty for the client's unmatched-message inbox.
     */
    List<ReasonCode> results();

    /**
     * The next message, waiting up to {@code timeout}: {@code null} when none came in time, or when the
     * subscription has ended and its buffer is empty ({@link #isActive()} tells which).
     *
     * @throws IllegalStateException when a callback or publisher consumes this subscription
     * @throws InterruptedException  when the waiting thread is interrupted
     */
    ApplicationMessage receive(Duration timeout) throws InterruptedException;

    /**
     * Hands every message, in order, to {@code callback} on a client callback thread (never the network thread).
     * The callback may block or call the client; while it runs, this subscription's next messages wait, and its
     * QoS 1 and 2 messages stay unacknowledged. An exception it throws is logged and the message counts as taken.
     *
     * @throws IllegalStateException when this subscription is already consumed another way
     */
    void onMessage(Consumer<? super ApplicationMessage> callback);

    /**
     * The messages as a {@link Flow.Publisher} for one subscriber: it gets only what it requested, and
     * {@code onComplete} when the subscription ends. Cancelling unsubscribes.
     *
     * @throws IllegalStateException when this subscription is already consumed another way
     */
    Flow.Publisher<ApplicationMessage> publisher();

    /** QoS 0 messages dropped because the buffer was full. */
    long droppedMessages();

    /** Messages waiting in the buffer. */
    int buffered();

    /** Whether the subscription still receives: false once unsubscribed, refused for every filter, or closed. */
    boolean isActive();

    /** Unsubscribes its filters and waits for UNSUBACK (within the client's request timeout). */
    List<ReasonCode> unsubscribe();

    /** Unsubscribes its filters; the future completes with UNSUBACK's answer for each. */
    CompletableFuture<List<ReasonCode>> unsubscribeAsync();

    /** Unsubscribes without waiting; buffered messages can still be received. */
    @Override
    void close();
}
