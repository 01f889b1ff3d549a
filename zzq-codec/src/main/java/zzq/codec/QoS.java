package zzq.codec;

/** The three MQTT quality-of-service levels. */
public enum QoS {
    /** At most once: fire and forget. */
    AT_MOST_ONCE,
    /** At least once: PUBLISH, PUBACK. */
    AT_LEAST_ONCE,
    /** Exactly once: PUBLISH, PUBREC, PUBREL, PUBCOMP. */
    EXACTLY_ONCE;

    private static final QoS[] VALUES = values();

    /** The level as it is written on the wire: 0, 1 or 2. */
    public int value() {
        return ordinal();
    }

    /** The lower of this level and {@code other}: what a subscription grants a message. */
    public QoS min(QoS other) {
        return other.ordinal() < ordinal() ? other : this;
    }

    /**
     * The level with this wire value.
     *
     * @throws IllegalArgumentException for anything but 0, 1 or 2
     */
    public static QoS of(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + value);
        }
        return VALUES[value];
    }
}
