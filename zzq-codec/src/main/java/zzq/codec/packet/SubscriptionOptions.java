package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.QoS;

/**
 * The options byte of one SUBSCRIBE entry. MQTT 3.1.1 has the QoS only; the rest are MQTT 5.0.
 *
 * @param qos               the maximum QoS the server may deliver on this subscription
 * @param noLocal           5.0: do not send this client its own publications
 * @param retainAsPublished 5.0: keep the RETAIN flag of forwarded messages as the publisher set it
 * @param retainHandling    5.0: when to send retained messages
 */
public record SubscriptionOptions(QoS qos, boolean noLocal, boolean retainAsPublished,
                                  RetainHandling retainHandling) {
    public SubscriptionOptions {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
    }

    /** Options with this QoS and every 5.0 option at its default. */
    public static SubscriptionOptions of(QoS qos) {
        return new SubscriptionOptions(qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE);
    }

    /** Whether only the QoS is set, as MQTT 3.1.1 can carry it. */
    public boolean isQosOnly() {
        return !noLocal && !retainAsPublished && retainHandling == RetainHandling.SEND_ON_SUBSCRIBE;
    }

    /** The options byte: QoS in bits 0-1, No Local bit 2, Retain As Published bit 3, Retain Handling bits 4-5. */
    public int toByte() {
        return qos.value() | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling.value() << 4;
    }
}
