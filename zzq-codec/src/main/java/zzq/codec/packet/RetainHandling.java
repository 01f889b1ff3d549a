package zzq.codec.packet;

/** When a new subscription is sent the retained messages it matches (MQTT 5.0 section 3.8.3.1). */
public enum RetainHandling {
    /** 0: send retained messages at the time of the subscribe. */
    SEND_ON_SUBSCRIBE,
    /** 1: send retained messages only if the subscription did not exist before. */
    SEND_IF_NEW_SUBSCRIPTION,
    /** 2: do not send retained messages. */
    DO_NOT_SEND;

    private static final RetainHandling[] VALUES = values();

    /** The value in bits 4 and 5 of the subscription options. */
    public int value() {
        return ordinal();
    }

    /** The handling with this value, or {@code null} for 3, which is a protocol error (MQTT-3.8.3-6). */
    public static RetainHandling of(int value) {
        return value >= 0 && value < VALUES.length ? VALUES[value] : null;
    }
}
