package zzq.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import zzq.codec.QoS;
import zzq.codec.Topics;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.property.UserProperty;

/**
 * One SUBSCRIBE: one or more topic filters with their options, and, in 5.0, a Subscription Identifier and User
 * Properties. Immutable; build with {@link #builder()}.
 *
 * @param filters        the filters, in order, each with its options
 * @param identifier     the 5.0 Subscription Identifier (1 to 268 435 455), or 0 for none
 * @param userProperties the 5.0 User Properties
 */
public record SubscribeRequest(List<Filter> filters, int identifier, List<UserProperty> userProperties) {
    /** One topic filter and its options. */
    public record Filter(String filter, SubscriptionOptions options) {
        public Filter {
            Topics.checkFilter(Objects.requireNonNull(filter, "filter"));
            Objects.requireNonNull(options, "options");
        }
    }

    public SubscribeRequest {
        filters = List.copyOf(filters);
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("a SUBSCRIBE needs at least one topic filter");
        }
        if (identifier < 0 || identifier > 268_435_455) {
            throw new IllegalArgumentException("a Subscription Identifier is 1 to 268435455 (0 for none), not "
                    + identifier);
        }
        userProperties = List.copyOf(userProperties);
    }

    /** A request for one filter at this QoS. */
    public static SubscribeRequest of(String filter, QoS qos) {
        return builder().filter(filter, qos).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SubscribeRequest}. */
    public static final class Builder {
        private final List<Filter> filters = new ArrayList<>();
        private int identifier;
        private final List<UserProperty> userProperties = new ArrayList<>();

        private Builder() {
        }

        /** Adds a filter at this QoS, with the 5.0 options at their defaults. */
        public Builder filter(String filter, QoS qos) {
            return filter(filter, SubscriptionOptions.of(qos));
        }

        /** Adds a filter with these options (No Local, Retain As Published, Retain Handling are 5.0 only). */
        public Builder filter(String filter, SubscriptionOptions options) {
            filters.add(new Filter(filter, options));
            return this;
        }

        /** The 5.0 Subscription Identifier, 1 to 268 435 455. */
        public Builder identifier(int id) {
            identifier = OptionChecks.inRange("subscription identifier", id, 1, 268_435_455);
            return this;
        }

        /** Adds a 5.0 User Property. */
        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public SubscribeRequest build() {
            return new SubscribeRequest(filters, identifier, userProperties);
        }
    }
}
