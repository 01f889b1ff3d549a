package zzq.engine.client;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientOptions;

/**
 * A client's incoming messages: routes each PUBLISH to the subscriptions it matches, and acknowledges QoS 1 and 2
 * messages once the application has taken them, in arrival order (MQTT-4.6.0-2). Keeps the QoS 2 identifiers
 * between PUBREC and PUBREL, so a re-sent message is not delivered twice. Confined to the client's event loop.
 */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    private final ClientOptions options;
    private final AtomicLong unmatchedDropped = new AtomicLong();
    /** The subscriptions, in the order made. */
    private final List<Inbox> inboxes = new ArrayList<>();
    private Inbox unmatched;
    private final ArrayDeque<InboundDelivery> unacked = new ArrayDeque<>();
    private final Map<Integer, InboundDelivery> unackedById = new HashMap<>();
    private final BitSet awaitingRelease = new BitSet(65_536);
    /** The Subscription Identifiers the client chose itself: its business, removed from delivered messages. */
    private final java.util.Set<Integer> ownIdentifiers = new java.util.HashSet<>();

    Inbound(ClientOptions options) {
        this.options = options;
    }

    List<Inbox> inboxes() {
        return inboxes;
    }

    Inbox unmatched() {
        return unmatched;
    }

    void unmatched(Inbox inbox) {
        unmatched = inbox;
    }

    /** Notes an identifier the client chose for a subscription (see {@link Inbox#identifier}). */
    void ownIdentifier(int identifier) {
        ownIdentifiers.add(identifier);
    }

    long unmatchedDropped() {
        return unmatchedDropped.get();
    }

    /** A PUBLISH from the broker, on {@code link}. */
    void received(Link link, Publish p) {
        String topic;
        try {
            topic = link.resolveAlias(p);
        } catch (IllegalArgumentException e) {
            p.payload().release();
            link.protocolError(ReasonCode.TOPIC_ALIAS_INVALID, e.getMessage());
            return;
        }
        InboundDelivery delivery = null;
        if (p.qos() != QoS.AT_MOST_ONCE) {
            int id = p.packetId();
            if (p.qos() == QoS.EXACTLY_ONCE && awaitingRelease.get(id)) {
                p.payload().release();
                link.send(new Pubrec(id)); // a re-sent PUBLISH we already took: MQTT-4.3.3-9
                return;
            }
            if (unackedById.containsKey(id)) {
                p.payload().release();
                flushAcks(link); // a re-send of one the application still holds, or has taken since
                return;
            }
            if (unacked.size() >= options.receiveMaximum()) {
                // the broker overshot (reading pauses at the limit, but bytes already read still decode): take the
                // message rather than drop the connection, which would only bring the backlog again
                link.overrun(options.receiveMaximum());
            }
            delivery = new InboundDelivery(id, p.qos() == QoS.EXACTLY_ONCE);
        }
        List<Integer> identifiers = p.properties().subscriptionIdentifiers();
        ApplicationMessage message = toMessage(topic, p);
        int holders = 0;
        boolean matched = false;
        for (Inbox inbox : inboxes) {
            if (inbox.matches(topic, identifiers)) {
                matched = true;
                if (inbox.offer(message, delivery)) {
                    holders++;
                }
            }
        }
        if (!matched) {
            if (unmatched != null) {
                if (unmatched.offer(message, delivery)) {
                    holders++;
                }
            } else {
                unmatchedDropped.incrementAndGet();
                LOG.debug("a message on '{}' matches no subscription; dropped", topic);
            }
        }
        if (delivery != null) {
            delivery.holders = holders;
            unacked.add(delivery);
            unackedById.put(delivery.packetId, delivery);
            flushAcks(link);
        }
    }

    /**
     * Bounds what a broker that ignores the client's Receive Maximum can make it hold: reading pauses at twice the
     * Receive Maximum of unacknowledged messages and resumes below it. Not at the limit itself: a broker keeping to
     * it never gets there, and while reading is paused no acknowledgement arrives either, so a callback waiting on
     * the client (a publish, a subscribe) would wait out its timeout. QoS 2 messages awaiting PUBREL do not count;
     * they hold no memory here, and Mosquitto 2.0 frees their slot at PUBREC already. In 3.1.1, which has no
     * Receive Maximum, the same bound applies to whatever window the broker keeps.
     */
    private void pace(Link link) {
        int held = unacked.size();
        if (held >= 2 * options.receiveMaximum()) {
            link.reading(false);
        } else if (held < options.receiveMaximum()) {
            link.reading(true);
        }
    }

    /** The application's copy of a received message: taken once, so the network buffer is freed at once. */
    private ApplicationMessage toMessage(String topic, Publish p) {
        ByteBuf payload = p.payload();
        byte[] bytes;
        try {
            bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
        } finally {
            payload.release();
        }
        Properties props = p.properties();
        if (props.contains(PropertyId.TOPIC_ALIAS)) {
            props = props.toBuilder().remove(PropertyId.TOPIC_ALIAS).build();
        }
        List<Integer> identifiers = props.subscriptionIdentifiers();
        if (!identifiers.isEmpty() && !ownIdentifiers.isEmpty()) {
            Properties.Builder b = props.toBuilder().remove(PropertyId.SUBSCRIPTION_IDENTIFIER);
            for (int id : identifiers) {
                if (!ownIdentifiers.contains(id)) {
                    b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
                }
            }
            props = b.build();
        }
        return ApplicationMessage.received(topic, bytes, p.qos(), p.retain(), p.dup(), props);
    }

    /** A subscription handed a message to the application. */
    void taken(InboundDelivery delivery, Link link) {
        delivery.holders--;
        flushAcks(link);
    }

    /**
     * Acknowledges taken messages from the oldest, stopping at the first one the application still holds. Without
     * a connection ({@code link} null) nothing is sent: a resumed session's broker re-sends those messages, and
     * they are acknowledged then.
     */
    void flushAcks(Link link) {
        if (link == null) {
            return;
        }
        while (!unacked.isEmpty() && unacked.peek().holders <= 0) {
            InboundDelivery d = unacked.poll();
            unackedById.remove(d.packetId);
            if (d.dead) {
                continue;
            }
            if (d.exactlyOnce) {
                awaitingRelease.set(d.packetId);
                link.send(new Pubrec(d.packetId));
            } else {
                link.send(new Puback(d.packetId));
            }
        }
        pace(link);
    }

    /** PUBREL: the QoS 2 exchange ends with PUBCOMP (0x92 in 5.0 for an identifier not awaiting release). */
    void released(Link link, Pubrel rel) {
        int id = rel.packetId();
        boolean known = awaitingRelease.get(id);
        awaitingRelease.clear(id);
        link.send(known || !options.version().isV5() ? new Pubcomp(id)
                : new Pubcomp(id, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
    }

    /** The broker has no session: nothing received is left to acknowledge. */
    void sessionLost() {
        for (InboundDelivery d : unacked) {
            d.dead = true;
        }
        unacked.clear();
        unackedById.clear();
        awaitingRelease.clear();
    }

    /** The client closed: every subscription ends. */
    void endAll() {
        for (Inbox inbox : inboxes) {
            inbox.end();
        }
        inboxes.clear();
        if (unmatched != null) {
            unmatched.end();
        }
    }
}
