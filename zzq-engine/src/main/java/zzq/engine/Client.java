package zzq.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.engine.client.ClientCore;

/**
 * An MQTT 5.0, 3.1.1 and 3.1 client, on the same engine as the {@link Broker}: any installed transport's URL
 * works ({@code mqtt://}, and {@code mqtts://}, {@code ws://}... when their modules are present).
 *
 * <pre>{@code
 * try (Client client = Client.connect("mqtt://localhost:1883", ClientOptions.DEFAULTS)) {
 *     Subscription news = client.subscribe("news/#", QoS.AT_LEAST_ONCE);
 *     client.publish("news/today", "hello".getBytes(), QoS.AT_LEAST_ONCE, false);
 *     ApplicationMessage m = news.receive(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Every method is thread-safe. Each blocking method waits at most the options'
 * {@link ClientOptions#requestTimeout() request timeout} and has a {@code CompletableFuture} twin; both run the
 * same code. The client's network work runs on an event loop that user code never sees: futures complete, and
 * callbacks and monitors run, on client callback threads, so a callback that blocks or calls the client cannot
 * stall or deadlock it.
 *
 * <p><b>Reconnect.</b> After a connection is lost (not after {@link #disconnect()}), the client dials again with
 * backoff ({@link ClientOptions#reconnect()}), trying each given endpoint in turn. It resumes its session when it
 * has one (clean start false when the session expiry is above zero in 5.0, or with a persistent 3.1.1 session);
 * re-sends unacknowledged QoS 1 and 2 messages with DUP and keeps its QoS 2 state; re-subscribes when the broker
 * lost the session; and sends the publishes made meanwhile, which wait in a bounded queue. Each step is a
 * {@link MonitorEvent}: {@link MonitorEvent.ConnectRetried}, {@link MonitorEvent.Connected},
 * {@link MonitorEvent.Disconnected}.
 *
 * <p><b>Flow control.</b> Publishes respect the broker's Receive Maximum, Maximum Packet Size and Topic Alias
 * Maximum (in 3.1.1, which has no Receive Maximum, at most 20 QoS 1 and 2 publishes are in flight, Mosquitto's
 * default window); a publish never fails with "too many in progress": it waits in the queue (bounded by
 * {@link ClientOptions#maxQueuedPublishes()} and {@link ClientOptions#maxQueuedBytes()}), and a blocking publish
 * waits for room in the queue within its timeout.
 */
public final class Client implements AutoCloseable {
    private final ClientCore core;
    private final ClientOptions options;

    private Client(ClientOptions options) {
        this.options = options;
        this.core = new ClientCore(options);
    }

    /** A client with these options, not yet connected: add monitors or the unmatched inbox, then connect. */
    public static Client create(ClientOptions options) {
        return new Client(Objects.requireNonNull(options, "options"));
    }

    /**
     * A client connected to {@code url}.
     *
     * @throws ConnectRefusedException when the broker refuses, with its reason code and reason string
     * @throws MqttClientException     when the broker cannot be reached or does not answer within the connect timeout
     */
    public static Client connect(String url, ClientOptions options) {
        Client client = create(options);
        try {
            client.connect(url);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Connects to the first of {@code urls} that accepts, trying each in turn; reconnects later go through the
     * same list. Returns when CONNACK accepted.
     *
     * @throws ConnectRefusedException  when the broker refuses, with its reason code and reason string
     * @throws MqttClientException      when no endpoint can be reached or none answers within the connect timeout
     * @throws IllegalArgumentException for a malformed URL or a scheme no installed transport serves
     * @throws IllegalStateException    when the client is connected, connecting or closed
     */
    public ConnectResult connect(String... urls) {
        return await(connectAsync(Arrays.asList(urls)), options.connectTimeout().multipliedBy(urls.length)
                .plusSeconds(1), "connect");
    }

    /** {@link #connect(String...)} without waiting. */
    public CompletableFuture<ConnectResult> connectAsync(List<String> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("connect needs at least one URL");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String url : urls) {
            endpoints.add(Endpoint.parse(url));
        }
        return core.connect(endpoints);
    }

    /**
     * Publishes and waits: for QoS 0 until written, for QoS 1 until PUBACK, for QoS 2 until PUBCOMP.
     *
     * @throws MqttClientException when the broker refuses (its reason code), the message is larger than the
     *                             broker's Maximum Packet Size (0x95), no room frees in the queue, or no answer
     *                             comes within the request timeout
     */
    public PublishResult publish(String topic, byte[] payload, QoS qos, boolean retain) {
        return publish(ApplicationMessage.builder(topic).payload(payload).qos(qos).retain(retain).build());
    }

    /** Publishes and waits, as {@link #publish(String, byte[], QoS, boolean)}. */
    public PublishResult publish(ApplicationMessage message) {
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        CompletableFuture<PublishResult> done = core.publish(message, options.requestTimeout().toNanos());
        return await(done, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), "publish");
    }

    /**
     * Publishes without waiting. When the queue is full, the future fails at once: use the blocking
     * {@link #publish(ApplicationMessage)} to wait for room.
     */
    public CompletableFuture<PublishResult> publishAsync(ApplicationMessage message) {
        return core.publishAsync(message);
    }

    /** Subscribes to one filter and waits for SUBACK; see {@link Subscription#results()} for the answer. */
    public Subscription subscribe(String filter, QoS qos) {
        return subscribe(SubscribeRequest.of(filter, qos));
    }

    /** Subscribes and waits for SUBACK; see {@link Subscription#results()} for each filter's answer. */
    public Subscription subscribe(SubscribeRequest request) {
        return await(subscribeAsync(request), options.requestTimeout(), "subscribe");
    }

    /** Subscribes without waiting; the future completes on SUBACK. While offline it waits for the connection. */
    public CompletableFuture<Subscription> subscribeAsync(SubscribeRequest request) {
        return core.subscribe(Objects.requireNonNull(request, "request"));
    }

    /** Unsubscribes filters (from whichever subscriptions hold them) and waits for UNSUBACK's answer for each. */
    public List<ReasonCode> unsubscribe(String... filters) {
        return await(unsubscribeAsync(Arrays.asList(filters)), options.requestTimeout(), "unsubscribe");
    }

    /** Unsubscribes without waiting. */
    public CompletableFuture<List<ReasonCode>> unsubscribeAsync(List<String> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("unsubscribe needs at least one topic filter");
        }
        return core.unsubscribe(List.copyOf(filters));
    }

    /**
     * The inbox of messages that match none of this client's subscriptions: those a resumed session brings before
     * the application subscribes again, say. Until this is called, such messages are acknowledged and dropped
     * (and counted in {@link #unmatchedDropped()}).
     */
    public Subscription unmatchedMessages() {
        return core.unmatched();
    }

    /** Messages dropped because they matched no subscription and nobody asked for {@link #unmatchedMessages()}. */
    public long unmatchedDropped() {
        return core.unmatchedDropped();
    }

    /**
     * 5.0 re-authentication (an AUTH 0x19 with the {@link ClientOptions#authentication()} method); waits for the
     * broker's success.
     */
    public void reauthenticate() {
        await(core.reauthenticate(), options.requestTimeout(), "re-authentication");
    }

    /** Adds a receiver of this client's monitor events, called on a client callback thread, in order. */
    public void onMonitorEvent(Consumer<? super MonitorEvent> monitor) {
        core.onMonitorEvent(Objects.requireNonNull(monitor, "monitor"));
    }

    /** Whether a connection is up and accepted now. */
    public boolean isConnected() {
        return core.isConnected();
    }

    /** The client identifier in use: the configured one, or the one the broker assigned; empty before that. */
    public String clientId() {
        return core.clientId();
    }

    /** Publishes accepted by the client and not yet acknowledged by the broker (in flight or queued). */
    public int queuedPublishes() {
        return core.queuedPublishes();
    }

    /**
     * Disconnects normally (DISCONNECT 0x00: the broker discards the will) and stops reconnecting. Queued
     * publishes and the session state stay for a later {@link #connect}. Waits until the connection is closed.
     */
    public void disconnect() {
        await(core.disconnect(ReasonCode.NORMAL_DISCONNECTION), options.requestTimeout(), "disconnect");
    }

    /** Disconnects with 0x04: the broker publishes the will. 5.0 only. */
    public void disconnectWithWill() {
        await(core.disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), options.requestTimeout(), "disconnect");
    }

    /**
     * Disconnects (if connected), fails every waiting operation with {@link MqttClientException}, ends every
     * subscription, and releases the client. Idempotent.
     */
    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "Client[" + core + "]";
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        return ClientCore.await(future, timeout, what);
    }
}
