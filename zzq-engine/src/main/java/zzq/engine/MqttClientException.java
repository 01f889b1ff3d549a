package zzq.engine;

import zzq.codec.ReasonCode;

/**
 * A client operation failed: the broker refused it (with a {@link #reasonCode()} and maybe a
 * {@link #reasonString()}), it timed out, the connection was lost for good, or the client was closed.
 */
public class MqttClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ReasonCode reasonCode;
    private final String reasonString;

    /**
     * @param message      what failed, for people
     * @param reasonCode   the MQTT reason code, or {@code null} when no packet said one
     * @param reasonString the broker's Reason String, or {@code null}
     * @param cause        the error behind it, or {@code null}
     */
    public MqttClientException(String message, ReasonCode reasonCode, String reasonString, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
        this.reasonString = reasonString;
    }

    public MqttClientException(String message, Throwable cause) {
        this(message, null, null, cause);
    }

    public MqttClientException(String message) {
        this(message, null, null, null);
    }

    /** The reason code the broker sent, or {@code null} when the failure was local (timeout, lost, closed). */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The broker's Reason String, or {@code null}. */
    public String reasonString() {
        return reasonString;
    }
}
