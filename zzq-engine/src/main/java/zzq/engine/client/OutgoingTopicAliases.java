package zzq.engine.client;

import java.util.HashMap;
import java.util.Map;

/**
 * The topic aliases a client uses towards the broker on one connection (5.0, section 3.3.2.3.4): the first
 * topics published get an alias, up to the broker's Topic Alias Maximum, and keep it; later PUBLISHes of a topic
 * with an alias send the alias and an empty topic name. Aliases never outlive a connection (MQTT-3.3.2-7).
 */
final class OutgoingTopicAliases {
    private final int maximum;
    private final Map<String, Integer> aliases = new HashMap<>();

    OutgoingTopicAliases(int maximum) {
        this.maximum = maximum;
    }

    /**
     * The alias to send for {@code topic}: positive when the broker already knows it (send the alias and an empty
     * topic), negative when it is assigned now (send the topic with the alias's absolute value), 0 for none.
     */
    int aliasFor(String topic) {
        Integer alias = aliases.get(topic);
        if (alias != null) {
            return alias;
        }
        if (aliases.size() < maximum && topic.length() > 2) {
            int assigned = aliases.size() + 1;
            aliases.put(topic, assigned);
            return -assigned;
        }
        return 0;
    }
}
