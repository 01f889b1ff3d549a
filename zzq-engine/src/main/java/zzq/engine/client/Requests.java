package zzq.engine.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.MqttClientException;
import zzq.engine.SubscribeRequest;

/**
 * A client's SUBSCRIBE and UNSUBSCRIBE requests: those waiting for a connection, and those sent and waiting for
 * their answer. Requests a lost connection leaves unanswered are sent again on the next one; when the broker lost
 * the session, the subscriptions it had confirmed are sent again first. Confined to the client's event loop;
 * answers leave through {@code completions}.
 */
final class Requests {
    private static final Logger LOG = LoggerFactory.getLogger(Requests.class);

    /** One SUBSCRIBE or UNSUBSCRIBE. */
    private static final class Request {
        final Inbox inbox;
        final List<SubscribeRequest.Filter> subscribing;
        final List<String> unsubscribing;
        final CompletableFuture<?> done;
        /** Per filter, the refusal the broker's CONNACK already implies, or {@code null}: those are not sent. */
        ReasonCode[] refusedHere;

        Request(Inbox inbox, List<SubscribeRequest.Filter> subscribing, List<String> unsubscribing,
                CompletableFuture<?> done) {
            this.inbox = inbox;
            this.subscribing = subscribing;
            this.unsubscribing = unsubscribing;
            this.done = done;
        }

        /** A subscription sent again after the broker lost the session: nobody waits for its answer. */
        boolean isRestore() {
            return done == null;
        }
    }

    private final MqttVersion version;
    private final PacketIdPool ids;
    private final Inbound inbound;
    private final Executor completions;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /** The next identifier the client chooses itself: from the top of the range, where applications rarely go. */
    private int nextOwnIdentifier = 268_435_455;
    /** By packet identifier, in the order sent. */
    private final Map<Integer, Request> sent = new LinkedHashMap<>();

    Requests(MqttVersion version, PacketIdPool ids, Inbound inbound, Executor completions) {
        this.version = version;
        this.ids = ids;
        this.inbound = inbound;
        this.completions = completions;
    }

    /** Subscribes {@code inbox}; it receives from now on, and its filters that the broker refuses stop matching. */
    void subscribe(Inbox inbox, CompletableFuture<zzq.engine.Subscription> done, Link link) {
        inbound.inboxes().add(inbox);
        waiting.add(new Request(inbox, inbox.request.filters(), null, done));
        send(link);
    }

    /** Unsubscribes filters from {@code inbox}, or from every subscription holding them when it is {@code null}. */
    void unsubscribe(Inbox inbox, List<String> filters, CompletableFuture<List<ReasonCode>> done, Link link) {
        waiting.add(new Request(inbox, null, filters, done));
        send(link);
    }

    /** Sends what waits, on {@code link} (null: not connected). */
    void send(Link link) {
        if (link == null) {
            return;
        }
        while (!waiting.isEmpty()) {
            Request r = waiting.peek();
            List<Subscription> subs = new ArrayList<>();
            if (r.subscribing != null) {
                r.refusedHere = new ReasonCode[r.subscribing.size()];
                for (int i = 0; i < r.subscribing.size(); i++) {
                    SubscribeRequest.Filter f = r.subscribing.get(i);
                    r.refusedHere[i] = link.refusal(f.filter(), r.inbox.request.identifier());
                    if (r.refusedHere[i] == null) {
                        subs.add(new Subscription(f.filter(), version.isV5() ? f.options()
                                : SubscriptionOptions.of(f.options().qos())));
                    }
                }
                if (subs.isEmpty()) {
                    waiting.poll();
                    subscribeAnswered(r, List.of());
                    continue;
                }
                if (r.inbox.identifier == 0 && version.isV5() && link.subscriptionIdsAvailable()) {
                    r.inbox.identifier = nextOwnIdentifier--;
                    inbound.ownIdentifier(r.inbox.identifier);
                }
            }
            int id = ids.take();
            if (id == 0) {
                return; // every identifier is in use: the next answer frees one
            }
            waiting.poll();
            sent.put(id, r);
            if (r.subscribing != null) {
                link.send(new Subscribe(id, subs, subscribeProperties(r.inbox)));
            } else {
                link.send(new Unsubscribe(id, r.unsubscribing, Properties.EMPTY));
            }
        }
    }

    private Properties subscribeProperties(Inbox inbox) {
        if (!version.isV5()) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder();
        if (inbox.identifier > 0) {
            b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, inbox.identifier);
        }
        for (UserProperty u : inbox.request.userProperties()) {
            b.add(u);
        }
        return b.build();
    }

    void subacked(Suback ack, Link link) {
        Request r = sent.remove(ack.packetId());
        if (r == null || r.subscribing == null) {
            LOG.debug("SUBACK for an unknown packet identifier {}", ack.packetId());
            return;
        }
        ids.release(ack.packetId());
        subscribeAnswered(r, ack.reasonCodes());
        send(link);
    }

    /** A SUBSCRIBE's answer: the broker's codes for the filters sent, merged with those refused here. */
    @SuppressWarnings("unchecked")
    private void subscribeAnswered(Request r, List<ReasonCode> fromBroker) {
        List<ReasonCode> answer = new ArrayList<>();
        Iterator<ReasonCode> next = fromBroker.iterator();
        for (ReasonCode here : r.refusedHere) {
            answer.add(here != null ? here : next.hasNext() ? next.next() : ReasonCode.UNSPECIFIED_ERROR);
        }
        r.inbox.subscribed(r.subscribing, answer);
        if (!r.inbox.hasFilters()) {
            inbound.inboxes().remove(r.inbox);
            r.inbox.end();
        }
        if (r.isRestore()) {
            for (int i = 0; i < answer.size(); i++) {
                if (answer.get(i).isError()) {
                    LOG.warn("the broker refused to restore the subscription to '{}': {}",
                            r.subscribing.get(i).filter(), answer.get(i));
                }
            }
        } else {
            CompletableFuture<zzq.engine.Subscription> done = (CompletableFuture<zzq.engine.Subscription>) r.done;
            completions.execute(() -> done.complete(r.inbox));
        }
    }

    @SuppressWarnings("unchecked")
    void unsubacked(Unsuback ack, Link link) {
        Request r = sent.remove(ack.packetId());
        if (r == null || r.unsubscribing == null) {
            LOG.debug("UNSUBACK for an unknown packet identifier {}", ack.packetId());
            return;
        }
        ids.release(ack.packetId());
        for (Iterator<Inbox> it = inbound.inboxes().iterator(); it.hasNext(); ) {
            Inbox inbox = it.next();
            if ((r.inbox == null || r.inbox == inbox) && inbox.unsubscribed(r.unsubscribing) && !inbox.hasFilters()) {
                it.remove();
                inbox.end();
            }
        }
        List<ReasonCode> answer = ack.reasonCodes().isEmpty()
                // 3.1.1's UNSUBACK has no reason codes: it means every filter was unsubscribed
                ? Collections.nCopies(r.unsubscribing.size(), ReasonCode.SUCCESS) : ack.reasonCodes();
        CompletableFuture<List<ReasonCode>> done = (CompletableFuture<List<ReasonCode>>) r.done;
        completions.execute(() -> done.complete(answer));
        send(link);
    }

    /** The connection ended: what it left unanswered goes again, first, on the next one, with new identifiers. */
    void linkLost() {
        List<Request> again = new ArrayList<>(sent.values()); // in the order sent
        for (int id : sent.keySet()) {
            ids.release(id);
        }
        sent.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            waiting.addFirst(again.get(i));
        }
    }

    /** The broker lost the session: the subscriptions it had confirmed go again before anything else. */
    void restore() {
        List<Request> restores = new ArrayList<>();
        for (Inbox inbox : inbound.inboxes()) {
            if (inbox.confirmed && inbox.hasFilters()) {
                restores.add(new Request(inbox, inbox.activeRequestFilters(), null, null));
            }
        }
        if (!restores.isEmpty()) {
            LOG.debug("the broker lost the session; subscribing {} subscriptions again", restores.size());
        }
        for (int i = restores.size() - 1; i >= 0; i--) {
            waiting.addFirst(restores.get(i));
        }
    }

    /** Fails every request (the client closed, or stopped reconnecting). */
    void failAll(MqttClientException why) {
        for (Request r : waiting) {
            failOne(r, why);
        }
        waiting.clear();
        for (Map.Entry<Integer, Request> e : sent.entrySet()) {
            ids.release(e.getKey());
            failOne(e.getValue(), why);
        }
        sent.clear();
    }

    private void failOne(Request r, MqttClientException why) {
        if (!r.isRestore()) {
            CompletableFuture<?> done = r.done;
            completions.execute(() -> done.completeExceptionally(why));
        }
    }
}
