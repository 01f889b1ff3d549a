package zzq.engine.broker.topic;

/**
 * Receives the subscriptions that match a topic, from {@link TopicTree#match(String, MatchVisitor)}.
 *
 * <p>It is called on the matching thread, synchronously, and must not modify the tree it is visiting from the
 * callbacks. Overlapping subscriptions are all reported: one subscriber with two filters that match the topic
 * receives two {@link #subscription} calls, and the caller deduplicates as MQTT 5.0 section 3.3.4 requires.
 *
 * @param <S> the subscriber handle type
 */
public interface MatchVisitor<S> {
    /** A matching non-shared subscription. */
    void subscription(Subscription<S> subscription);

    /** A matching shared subscription group: the caller delivers to one of its members. */
    void sharedGroup(SharedGroup<S> group);
}
