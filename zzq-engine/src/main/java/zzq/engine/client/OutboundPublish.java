package zzq.engine.client;

import java.util.concurrent.CompletableFuture;
import zzq.engine.ApplicationMessage;
import zzq.engine.PublishResult;

/**
 * One publish between the application's call and the broker's last acknowledgement. Its packet identifier is
 * kept across reconnects, so a re-sent PUBLISH or PUBREL carries the original one (MQTT-4.4.0-1). Confined to
 * the client's event loop.
 */
final class OutboundPublish {
    /** Where a QoS 1 or 2 publish is in its exchange. */
    enum Phase {
        /** Not yet sent on the current connection. */
        WAITING,
        /** PUBLISH sent; PUBACK (QoS 1) or PUBREC (QoS 2) awaited. */
        PUBLISHED,
        /** QoS 2: PUBREC received and PUBREL sent; PUBCOMP awaited. */
        RELEASED
    }

    final ApplicationMessage message;
    final CompletableFuture<PublishResult> done;
    final int size;
    int packetId;
    Phase phase = Phase.WAITING;
    /** Whether a PUBLISH with this identifier went out before, so a re-send sets DUP. */
    boolean sentBefore;
    /** The PUBREC's result, reported when PUBCOMP completes the exchange. */
    PublishResult received;

    OutboundPublish(ApplicationMessage message, CompletableFuture<PublishResult> done) {
        this.message = message;
        this.done = done;
        this.size = message.payloadSize();
    }
}
