package zzq.engine.broker;

import zzq.codec.QoS;

/**
 * One message on its way to one session: queued, then in flight until acknowledged. Confined to the session's event
 * loop. Holds one reference to the message's payload until {@link #release()}.
 */
final class Outgoing {
    /** Where an outgoing message stands in its QoS flow. */
    enum Phase {
        /** Not sent yet. */
        QUEUED,
        /** QoS 1 sent, waiting for PUBACK. */
        AWAITING_PUBACK,
        /** QoS 2 sent, waiting for PUBREC. */
        AWAITING_PUBREC,
        /** QoS 2 PUBREC received and PUBREL sent, waiting for PUBCOMP; the payload is gone. */
        AWAITING_PUBCOMP
    }

    final Message message;
    final QoS qos;
    final boolean retain;
    /** The Subscription Identifiers of the subscriptions that matched (5.0), or null. */
    final int[] subscriptionIds;
    Phase phase = Phase.QUEUED;
    int packetId;
    /** Whether it was sent (or re-sent) on the session's current connection. */
    boolean sent;
    /** Its sequence in the persistence store, or 0 when it is not recorded (see {@link SessionStore}). */
    long sequence;
    /** The stored message's identity, shared by the deliveries of one publish; 0 when not recorded. */
    long messageId;
    /**
     * A recorded QoS 2 message whose packet id (before its PUBLISH) or PUBREC (before its PUBREL) is not durable yet:
     * nothing goes to the client until it is, on any connection.
     */
    boolean recordPending;
    private boolean released;

    Outgoing(Message message, QoS qos, boolean retain, int[] subscriptionIds) {
        this.message = message;
        this.qos = qos;
        this.retain = retain;
        this.subscriptionIds = subscriptionIds;
    }

    /**
     * This delivery with its payload copied into a buffer of its own when the payload is a small slice of a much
     * larger buffer (a network read holding many messages): a message that waits in a queue must not pin kilobytes
     * of other messages' bytes. Otherwise this very delivery. Call before queueing, while nothing else refers to it.
     */
    Outgoing compacted() {
        io.netty.buffer.ByteBuf payload = message.payload();
        io.netty.buffer.ByteBuf whole = payload.unwrap();
        if (whole == null || whole.capacity() <= 2 * payload.readableBytes() + 256) {
            return this;
        }
        io.netty.buffer.ByteBuf copy = payload.alloc().buffer(payload.readableBytes());
        copy.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        release();
        Message m = message;
        Outgoing compact = new Outgoing(new Message(m.topic(), m.qos(), m.retain(), m.properties(), copy,
                m.expiresAtNanos(), m.publisherId()), qos, retain, subscriptionIds);
        compact.sequence = sequence;
        compact.messageId = messageId;
        return compact;
    }

    int payloadSize() {
        return message.payload().readableBytes();
    }

    /** Gives back this delivery's reference to the payload; idempotent. */
    void release() {
        if (!released) {
            released = true;
            message.payload().release();
        }
    }
}
