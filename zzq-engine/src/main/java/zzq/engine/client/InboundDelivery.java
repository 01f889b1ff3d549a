package zzq.engine.client;

/**
 * A QoS 1 or 2 message received and not yet acknowledged: it is acknowledged (PUBACK, or PUBREC) once every
 * subscription it went to has handed it to the application, in the order messages arrived (MQTT-4.6.0-2).
 * Confined to the client's event loop.
 */
final class InboundDelivery {
    final int packetId;
    final boolean exactlyOnce;
    /** Subscriptions that still hold it. */
    int holders;
    /** The broker lost the session it belonged to: there is nothing left to acknowledge. */
    boolean dead;

    InboundDelivery(int packetId, boolean exactlyOnce) {
        this.packetId = packetId;
        this.exactlyOnce = exactlyOnce;
    }
}
