package zzq.engine.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import zzq.codec.Topics;

/**
 * The retained message of each topic (MQTT 5.0 section 3.3.1.3). Thread-safe: publishers on every loop set and
 * clear, subscribers on every loop read. The store holds one reference to each payload, on a compact copy: a
 * retained message may live for months and must not pin the network buffer it arrived in.
 */
final class RetainedStore {
    private final Map<String, Message> byTopic = new ConcurrentHashMap<>();

    /**
     * Sets the retained message of its topic, or clears it when the payload is empty (MQTT-3.3.1-6, -7). Takes no
     * ownership of {@code message}'s payload: the store keeps its own copy.
     */
    void put(Message message) {
        Message old;
        if (message.payload().readableBytes() == 0) {
            old = byTopic.remove(message.topic());
        } else {
            // unpooled: a released unpooled buffer is never recycled, so a reader racing a replace cannot retain
            // a buffer that has meanwhile become someone else's
            ByteBuf copy = Unpooled.copiedBuffer(message.payload());
            old = byTopic.put(message.topic(), new Message(message.topic(), message.qos(), true,
                    message.properties(), copy, message.expiresAtNanos(), message.publisherId()));
        }
        if (old != null) {
            old.payload().release();
        }
    }

    /**
     * Calls {@code each} with every live retained message whose topic matches {@code filter}; the message's payload
     * is retained for the callee, which must release it. Expired ones are removed on the way.
     */
    void forEachMatching(String filter, Consumer<Message> each) {
        long now = System.nanoTime();
        if (filter.indexOf('+') < 0 && filter.indexOf('#') < 0) {
            Message m = byTopic.get(filter);
            if (m != null) {
                offer(m, now, each);
            }
            return;
        }
        for (Message m : byTopic.values()) {
            if (Topics.matches(filter, m.topic())) {
                offer(m, now, each);
            }
        }
    }

    private void offer(Message m, long now, Consumer<Message> each) {
        if (m.isExpired(now)) {
            if (byTopic.remove(m.topic(), m)) {
                m.payload().release();
            }
            return;
        }
        // retain may race a concurrent replace that released it; a payload at refCnt 0 is skipped
        try {
            m.payload().retain();
        } catch (io.netty.util.IllegalReferenceCountException gone) {
            return;
        }
        each.accept(m);
    }

    int size() {
        return byTopic.size();
    }

    /** Releases every payload (the broker closes). */
    void clear() {
        for (String topic : byTopic.keySet()) {
            Message m = byTopic.remove(topic);
            if (m != null) {
                m.payload().release();
            }
        }
    }
}
