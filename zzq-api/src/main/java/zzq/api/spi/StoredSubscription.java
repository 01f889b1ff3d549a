package zzq.api.spi;

import java.util.Objects;
import zzq.codec.packet.SubscriptionOptions;

/**
 * One subscription of a stored session.
 *
 * @param filter                 the filter as subscribed ({@code $share/...} prefix included)
 * @param options                the subscription options
 * @param subscriptionIdentifier the 5.0 Subscription Identifier, or 0
 */
public record StoredSubscription(String filter, SubscriptionOptions options, int subscriptionIdentifier) {
    public StoredSubscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(options, "options");
    }
}
