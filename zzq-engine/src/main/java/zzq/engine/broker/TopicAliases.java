package zzq.engine.broker;

import java.util.HashMap;
import java.util.Map;

/**
 * The Topic Aliases of one 5.0 connection (MQTT 5.0 section 3.3.2.3.4), both ways: those the client set, up to the
 * broker's maximum, and those the broker assigns, up to the client's. Both live only as long as the connection.
 */
final class TopicAliases {
    private final String[] inbound;
    private final int outboundMaximum;
    private final Map<String, Integer> outbound;

    TopicAliases(int inboundMaximum, int outboundMaximum) {
        this.inbound = new String[inboundMaximum + 1];
        this.outboundMaximum = outboundMaximum;
        this.outbound = outboundMaximum == 0 ? Map.of() : new HashMap<>();
    }

    /** Whether the client may use this alias (1 to the broker's maximum, MQTT-3.3.2-8, -9). */
    boolean isValidInbound(int alias) {
        return alias >= 1 && alias < inbound.length;
    }

    /** Sets an alias the client defined. */
    void define(int alias, String topic) {
        inbound[alias] = topic;
    }

    /** The topic of an alias the client defined before, or {@code null}. */
    String resolve(int alias) {
        return inbound[alias];
    }

    /** The alias the broker uses for this topic, or 0 if none (yet). */
    int outboundAlias(String topic) {
        Integer a = outbound.get(topic);
        return a == null ? 0 : a;
    }

    /** A new alias for this topic, or 0 when all the client allows are taken (they stay: a simple, stable map). */
    int assign(String topic) {
        if (outbound.size() >= outboundMaximum) {
            return 0;
        }
        int alias = outbound.size() + 1;
        outbound.put(topic, alias);
        return alias;
    }

    /** Takes back an alias assigned for a message that was then not sent. */
    void unassign(String topic) {
        outbound.remove(topic);
    }
}
