package zzq.engine.broker.topic;

import java.util.Objects;
import zzq.codec.Topics;
import zzq.codec.packet.SubscriptionOptions;

/**
 * One subscription held by a {@link TopicTree}: immutable, so a matcher never sees it half-updated. Replacing a
 * subscription (same subscriber, same filter) stores a new instance.
 *
 * @param subscriber             the subscriber's handle (a session, say)
 * @param filter                 the filter exactly as subscribed, {@code $share/{ShareName}/} prefix included
 * @param shareName              the ShareName of a shared subscription, or {@code null} for a non-shared one
 * @param options                the subscription options
 * @param subscriptionIdentifier the MQTT 5.0 Subscription Identifier, or 0 for none
 * @param <S>                    the subscriber handle type
 */
public record Subscription<S>(S subscriber, String filter, String shareName, SubscriptionOptions options,
                              int subscriptionIdentifier) {
    public Subscription {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(options, "options");
    }

    /** Whether this is a member of a shared subscription group. */
    public boolean isShared() {
        return shareName != null;
    }

    /** The filter topics are matched against: {@link #filter()} without any {@code $share/{ShareName}/} prefix. */
    public String topicFilter() {
        return shareName == null ? filter : filter.substring(Topics.SHARE_PREFIX.length() + shareName.length() + 1);
    }
}
