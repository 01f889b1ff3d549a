package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.QoS;
import zzq.codec.Topics;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;

/**
 * The will message a CONNECT leaves with the server, published when the connection ends without a normal
 * DISCONNECT (MQTT 5.0 section 3.1.2.5).
 *
 * @param topic      the will topic, a topic name
 * @param payload    the will payload (copied, not sliced: the server keeps it for the life of the connection)
 * @param qos        the will QoS
 * @param retain     whether the will is published retained
 * @param properties the will properties (MQTT 5.0 only), such as the Will Delay Interval
 */
public record Will(String topic, BinaryData payload, QoS qos, boolean retain, Properties properties) {
    public Will {
        Topics.checkName(topic);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(properties, "properties");
        properties.checkAllowedInWill();
    }
}
