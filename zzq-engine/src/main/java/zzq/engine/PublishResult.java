package zzq.engine;

import java.util.Objects;
import zzq.codec.ReasonCode;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/**
 * The outcome of a publish that the broker accepted: for QoS 1 the PUBACK's, for QoS 2 the PUBREC's (and the
 * exchange then completed with PUBCOMP), for QoS 0 simply that it was written.
 *
 * @param reasonCode {@link ReasonCode#SUCCESS} or {@link ReasonCode#NO_MATCHING_SUBSCRIBERS} (5.0)
 * @param properties the acknowledgement's 5.0 properties (a Reason String, User Properties)
 */
public record PublishResult(ReasonCode reasonCode, Properties properties) {
    /** What a QoS 0 publish and a 3.1.1 acknowledgement report. */
    public static final PublishResult WRITTEN = new PublishResult(ReasonCode.SUCCESS, Properties.EMPTY);

    public PublishResult {
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(properties, "properties");
    }

    /** The broker's Reason String, or {@code null}. */
    public String reasonString() {
        return properties.string(PropertyId.REASON_STRING).orElse(null);
    }
}
