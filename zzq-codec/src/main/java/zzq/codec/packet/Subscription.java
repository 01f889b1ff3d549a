package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.Topics;

/**
 * One entry of a SUBSCRIBE: a topic filter and its options.
 *
 * @param filter  the topic filter, possibly a shared one ({@code $share/{ShareName}/{filter}})
 * @param options the subscription options
 */
public record Subscription(String filter, SubscriptionOptions options) {
    public Subscription {
        Topics.checkFilter(filter);
        Objects.requireNonNull(options, "options");
        if (options.noLocal() && Topics.isShared(filter)) {
            throw MalformedPacketException.protocolError("MQTT-3.8.3-4",
                    "No Local must not be set on shared subscription '" + filter + "'");
        }
    }
}
