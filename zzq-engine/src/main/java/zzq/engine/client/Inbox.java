package zzq.engine.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.Topics;
import zzq.engine.ApplicationMessage;
import zzq.engine.SubscribeRequest;
import zzq.engine.Subscription;

/**
 * A {@link Subscription}: the filters of one SUBSCRIBE and the bounded buffer between the client's event loop,
 * which {@link #offer offers} matching messages, and the application, which takes them one of three ways. A taken
 * QoS 1 or 2 message is reported to the client, which acknowledges it to the broker (in arrival order).
 */
final class Inbox implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    /** How the application consumes: chosen by its first call and fixed after. */
    private enum Mode { UNCHOSEN, ITERATOR, CALLBACK, PUBLISHER }

    /** One buffered message, with the acknowledgement its taking releases ({@code null} for QoS 0). */
    private record Delivery(ApplicationMessage message, InboundDelivery ack) {
    }

    private final ClientCore client;
    /** The SUBSCRIBE this inbox came from: what a restore sends again. {@code null} for the unmatched inbox. */
    final SubscribeRequest request;
    private final int capacity;
    private final SerialRunner runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicLong demand = new AtomicLong();
    // guarded by lock
    private Mode mode = Mode.UNCHOSEN;
    private boolean ended;
    private boolean completed;
    private Consumer<? super ApplicationMessage> callback;
    private Flow.Subscriber<? super ApplicationMessage> subscriber;
    // loop-confined: the filters the broker granted and still holds for this inbox
    private final List<String> activeFilters = new ArrayList<>();
    private volatile List<ReasonCode> results = List.of();
    /** Whether the broker confirmed this subscription (SUBACK), so a lost session re-subscribes it. */
    boolean confirmed;
    /**
     * The 5.0 Subscription Identifier sent with this subscription: the application's, or one the client chose, so
     * that a broker sending one copy per matching subscription (Mosquitto does) reaches each subscription once.
     * 0 for none.
     */
    int identifier;

    Inbox(ClientCore client, SubscribeRequest request, int capacity, SerialRunner runner) {
        this.client = client;
        this.request = request;
        this.capacity = capacity;
        this.runner = runner;
        this.identifier = request == null ? 0 : request.identifier();
        if (request != null) {
            for (SubscribeRequest.Filter f : request.filters()) {
                activeFilters.add(f.filter());
            }
        }
    }

    // ---- the event loop's side ----

    /**
     * Whether a message belongs here: its topic matches a filter, and, when it carries Subscription Identifiers
     * and this subscription has one, it is among them (the broker says which subscriptions this copy is for).
     */
    boolean matches(String topic, List<Integer> identifiers) {
        return (identifier == 0 || identifiers.isEmpty() || identifiers.contains(identifier)) && matches(topic);
    }

    /** Whether a message on {@code topic} belongs here (shared filters match on their topic filter part). */
    boolean matches(String topic) {
        for (String f : activeFilters) {
            if (Topics.matches(Topics.isShared(f) ? sharedTopicFilter(f) : f, topic)) {
                return true;
            }
        }
        return false;
    }

    private static String sharedTopicFilter(String shared) {
        int slash = shared.indexOf('/', Topics.SHARE_PREFIX.length());
        return shared.substring(slash + 1);
    }

    /**
     * The broker answered a SUBSCRIBE of {@code sent} (the request's filters, or the ones a restore sent again):
     * refused filters stop matching. The first answer is the one {@link #results()} reports.
     */
    void subscribed(List<SubscribeRequest.Filter> sent, List<ReasonCode> answer) {
        if (!confirmed) {
            results = List.copyOf(answer);
            confirmed = true;
        }
        for (int i = 0; i < answer.size() && i < sent.size(); i++) {
            if (answer.get(i).isError()) {
                activeFilters.remove(sent.get(i).filter());
            }
        }
    }

    /** The filters still subscribed, with their options: what a restore sends. */
    List<SubscribeRequest.Filter> activeRequestFilters() {
        List<SubscribeRequest.Filter> active = new ArrayList<>();
        for (SubscribeRequest.Filter f : request.filters()) {
            if (activeFilters.contains(f.filter())) {
                active.add(f);
            }
        }
        return active;
    }

    /** These filters were unsubscribed: returns whether any was this inbox's. */
    boolean unsubscribed(List<String> filters) {
        return activeFilters.removeAll(filters);
    }

    /** Whether any filter is still subscribed. */
    boolean hasFilters() {
        return !activeFilters.isEmpty();
    }

    /**
     * Offers a message. A QoS 0 message is dropped (and counted) when the buffer is full; a QoS 1 or 2 message is
     * always taken, since the broker's Receive Maximum already bounds how many of those can be unacknowledged.
     *
     * @return whether the message was buffered
     */
    boolean offer(ApplicationMessage message, InboundDelivery ack) {
        Mode current;
        lock.lock();
        try {
            if (ended || (message.qos() == QoS.AT_MOST_ONCE && buffer.size() >= capacity)) {
                if (!ended) {
                    dropped.incrementAndGet();
                }
                return false;
            }
            buffer.add(new Delivery(message, ack));
            arrived.signal();
            current = mode;
        } finally {
            lock.unlock();
        }
        if (current == Mode.CALLBACK || current == Mode.PUBLISHER) {
            schedulePump();
        }
        return true;
    }

    /** The subscription ended (unsubscribed, refused, or the client closed): no more messages come. */
    void end() {
        Mode current;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            arrived.signalAll();
            current = mode;
        } finally {
            lock.unlock();
        }
        if (current == Mode.PUBLISHER) {
            schedulePump(); // completes the subscriber once the buffer is drained
        }
    }

    // ---- the application's side ----

    @Override
    public List<String> filters() {
        if (request == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>();
        for (SubscribeRequest.Filter f : request.filters()) {
            all.add(f.filter());
        }
        return all;
    }

    @Override
    public List<ReasonCode> results() {
        return results;
    }

    @Override
    public ApplicationMessage receive(Duration timeout) throws InterruptedException {
        Delivery d;
        lock.lockInterruptibly();
        try {
            choose(Mode.ITERATOR);
            long left = timeout.toNanos();
            while (buffer.isEmpty()) {
                if (ended || left <= 0) {
                    return null;
                }
                left = arrived.awaitNanos(left);
            }
            d = buffer.poll();
        } finally {
            lock.unlock();
        }
        taken(d);
        return d.message();
    }

    @Override
    public void onMessage(Consumer<? super ApplicationMessage> c) {
        Objects.requireNonNull(c, "callback");
        lock.lock();
        try {
            choose(Mode.CALLBACK);
            callback = c;
        } finally {
            lock.unlock();
        }
        schedulePump();
    }

    @Override
    public Flow.Publisher<ApplicationMessage> publisher() {
        lock.lock();
        try {
            choose(Mode.PUBLISHER);
        } finally {
            lock.unlock();
        }
        return this::attach;
    }

    private void attach(Flow.Subscriber<? super ApplicationMessage> s) {
        Objects.requireNonNull(s, "subscriber");
        boolean first;
        lock.lock();
        try {
            first = subscriber == null;
            if (first) {
                subscriber = s;
            }
        } finally {
            lock.unlock();
        }
        if (!first) {
            runner.execute(() -> {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("this subscription's publisher already has a subscriber"));
            });
            return;
        }
        runner.execute(() -> s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    // reactive streams rule 3.9
                    fail(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                    return;
                }
                demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
                schedulePump();
            }

            @Override
            public void cancel() {
                lock.lock();
                try {
                    completed = true;
                } finally {
                    lock.unlock();
                }
                close();
            }
        }));
    }

    private void fail(Throwable error) {
        Flow.Subscriber<? super ApplicationMessage> s;
        lock.lock();
        try {
            if (completed) {
                return;
            }
            completed = true;
            s = subscriber;
        } finally {
            lock.unlock();
        }
        runner.execute(() -> s.onError(error));
        close();
    }

    private void choose(Mode wanted) {
        if (mode == Mode.UNCHOSEN) {
            mode = wanted;
        } else if (mode != wanted) {
            throw new IllegalStateException("this subscription is consumed by " + mode.name().toLowerCase()
                    + "; it cannot also be consumed by " + wanted.name().toLowerCase());
        }
    }

    private void schedulePump() {
        if (pumpScheduled.compareAndSet(false, true)) {
            runner.execute(this::pump);
        }
    }

    /** Hands buffered messages to the callback or the subscriber, on the callback runner, one at a time. */
    private void pump() {
        pumpScheduled.set(false);
        while (true) {
            Delivery d;
            Flow.Subscriber<? super ApplicationMessage> s;
            Consumer<? super ApplicationMessage> c;
            boolean complete = false;
            lock.lock();
            try {
                s = subscriber;
                c = callback;
                if (completed || (c == null && s == null)) {
                    return;
                }
                if (s != null && demand.get() == 0 && !(ended && buffer.isEmpty())) {
                    return; // completion needs no demand (reactive streams rule 1.4); messages do
                }
                d = buffer.poll();
                if (d == null) {
                    if (ended && s != null) {
                        completed = true;
                        complete = true;
                    } else {
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (complete) {
                s.onComplete();
                return;
            }
            try {
                if (s != null) {
                    demand.decrementAndGet();
                    s.onNext(d.message());
                } else {
                    c.accept(d.message());
                }
            } catch (RuntimeException e) {
                LOG.warn("a subscription's consumer failed on {}; the message counts as taken", d.message(), e);
            } finally {
                taken(d);
            }
        }
    }

    private void taken(Delivery d) {
        if (d.ack() != null) {
            client.taken(d.ack());
        }
    }

    @Override
    public long droppedMessages() {
        return dropped.get();
    }

    @Override
    public int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isActive() {
        lock.lock();
        try {
            return !ended;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ReasonCode> unsubscribe() {
        return client.await(unsubscribeAsync(), "unsubscribe");
    }

    @Override
    public CompletableFuture<List<ReasonCode>> unsubscribeAsync() {
        if (request == null) {
            end();
            return CompletableFuture.completedFuture(List.of());
        }
        return client.unsubscribe(this);
    }

    @Override
    public void close() {
        if (isActive()) {
            unsubscribeAsync().whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("unsubscribing {} on close failed: {}", filters(), e.toString());
                }
            });
        }
    }

    @Override
    public String toString() {
        return "Subscription" + filters();
    }
}
