package zzq.engine;

import zzq.codec.ReasonCode;

/** The broker answered CONNECT with a refusal: its {@link #reasonCode()} says why. */
public final class ConnectRefusedException extends MqttClientException {
    private static final long serialVersionUID = 1L;

    public ConnectRefusedException(String message, ReasonCode reasonCode, String reasonString) {
        super(message, reasonCode, reasonString, null);
    }
}
