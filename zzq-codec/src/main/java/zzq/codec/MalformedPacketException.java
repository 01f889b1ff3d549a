package zzq.codec;

import java.util.Objects;

/**
 * A packet, or a packet value, that breaks a rule of the MQTT specification.
 *
 * <p>It names the rule it breaks (the specification's normative statement, such as {@code MQTT-3.3.2-2}, or
 * its section where the statement has no number) and carries the reason code a server or client answers it
 * with: {@link ReasonCode#MALFORMED_PACKET} when the bytes cannot be parsed as the specification lays them out,
 * {@link ReasonCode#PROTOCOL_ERROR} when they parse but break a rule, and a more specific code where the
 * specification names one ({@link ReasonCode#PACKET_TOO_LARGE}, {@link ReasonCode#TOPIC_NAME_INVALID},
 * {@link ReasonCode#UNSUPPORTED_PROTOCOL_VERSION}...). This is the only exception the decoder throws for bad input.
 */
public final class MalformedPacketException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient ReasonCode reasonCode;
    private final String rule;

    public MalformedPacketException(ReasonCode reasonCode, String rule, String message) {
        super(message + " (" + rule + ")");
        this.reasonCode = Objects.requireNonNull(reasonCode, "reasonCode");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** A malformed packet (0x81) that breaks {@code rule}. */
    public static MalformedPacketException malformed(String rule, String message) {
        return new MalformedPacketException(ReasonCode.MALFORMED_PACKET, rule, message);
    }

    /** A protocol error (0x82) that breaks {@code rule}. */
    public static MalformedPacketException protocolError(String rule, String message) {
        return new MalformedPacketException(ReasonCode.PROTOCOL_ERROR, rule, message);
    }

    /** The reason code to answer the packet with (a DISCONNECT's in 5.0, or the CONNACK's for a bad CONNECT). */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The specification statement the packet breaks, such as {@code MQTT-3.3.2-2}. */
    public String rule() {
        return rule;
    }
}
