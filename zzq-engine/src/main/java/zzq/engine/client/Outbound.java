package zzq.engine.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.ApplicationMessage;
import zzq.engine.MqttClientException;
import zzq.engine.PublishResult;

/**
 * A client's publishes, from the application's call to the broker's last acknowledgement: those waiting (for a
 * connection, or for the broker's Receive Maximum to leave room), and those in flight with their QoS 2 phase.
 * Confined to the client's event loop; outcomes go to each publish's internal future (see
 * {@link ClientCore#publish}), and its room in the {@link PublishBudget} is freed then.
 */
final class Outbound {
    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);

    private final EventLoop loop;
    private final PacketIdPool ids;
    private final PublishBudget budget;
    private final ArrayDeque<OutboundPublish> waiting = new ArrayDeque<>();
    /** In flight, in the order first sent: a resumed session re-sends them in that order (MQTT-4.6.0-1). */
    private final LinkedHashMap<Integer, OutboundPublish> inflight = new LinkedHashMap<>();

    Outbound(EventLoop loop, PacketIdPool ids, PublishBudget budget) {
        this.loop = loop;
        this.ids = ids;
        this.budget = budget;
    }

    /** A new publish; sent at once on {@code link} (when connected, else {@code null}) if the quota allows. */
    void add(OutboundPublish op, Link link) {
        waiting.add(op);
        drain(link);
    }

    /** Sends waiting publishes in order while the broker's Receive Maximum leaves room. */
    void drain(Link link) {
        if (link == null) {
            return;
        }
        while (!waiting.isEmpty()) {
            OutboundPublish op = waiting.peek();
            if (op.message.qos() != QoS.AT_MOST_ONCE) {
                if (inflight.size() >= link.sendQuota) {
                    return;
                }
                if (op.packetId == 0) {
                    op.packetId = ids.take();
                    if (op.packetId == 0) {
                        return; // every identifier is in use: the next acknowledgement frees one
                    }
                }
            }
            waiting.poll();
            ReasonCode refused = link.refusal(op.message);
            if (refused != null) {
                ids.release(op.packetId);
                finish(op, null, new MqttClientException(link.refusalText(op.message), refused, null, null));
                continue;
            }
            if (!send(link, op)) {
                continue;
            }
            if (op.message.qos() == QoS.AT_MOST_ONCE) {
                // runs after this turn's flush, which the write above scheduled: "written" means handed to the socket
                loop.execute(() -> finish(op, PublishResult.WRITTEN, null));
            } else {
                op.phase = OutboundPublish.Phase.PUBLISHED;
                inflight.put(op.packetId, op);
            }
        }
    }

    /** Writes a PUBLISH; false (and the publish failed) when it exceeds the broker's Maximum Packet Size. */
    private boolean send(Link link, OutboundPublish op) {
        ApplicationMessage m = op.message;
        ByteBuf payload = Unpooled.wrappedBuffer(m.payload());
        try {
            Publish publish = link.publishPacket(m, op.packetId, op.sentBefore, payload);
            if (publish == null) {
                ids.release(op.packetId);
                inflight.remove(op.packetId);
                finish(op, null, new MqttClientException("the message is larger than the broker's Maximum Packet "
                        + "Size of " + link.maxPacketSize + " bytes", ReasonCode.PACKET_TOO_LARGE, null, null));
                return false;
            }
            op.sentBefore = op.message.qos() != QoS.AT_MOST_ONCE;
            link.send(publish);
            return true;
        } finally {
            payload.release();
        }
    }

    /** PUBACK, PUBREC or PUBCOMP from the broker. */
    void acknowledged(Link link, PublishAck ack) {
        OutboundPublish op = inflight.get(ack.packetId());
        if (ack instanceof Pubrec && op == null) {
            // not ours (a re-sent PUBREC after we finished): MQTT-4.3.3 still wants a PUBREL
            link.send(new Pubrel(ack.packetId(), ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
            return;
        }
        if (op == null) {
            LOG.debug("{} for packet identifier {}, which is not in flight", ack.type(), ack.packetId());
            return;
        }
        // PUBCOMP 0x92 (identifier not found) comes when the broker finished the exchange before a reconnect, its
        // restart say, and our PUBREL was a re-send: "not an error during recovery" (MQTT 5.0 section 3.7.2.1). The
        // PUBREC already accepted the message, so it stands: the publish succeeded.
        boolean refused = ack.reasonCode().isError() && !(ack instanceof Pubcomp);
        if (ack instanceof Pubcomp && ack.reasonCode().isError()) {
            LOG.debug("PUBCOMP {} for packet identifier {}: the broker had completed it already; the PUBREC "
                    + "accepted the message", ack.reasonCode(), ack.packetId());
        }
        if (ack instanceof Pubrec && !refused) {
            op.phase = OutboundPublish.Phase.RELEASED;
            op.received = new PublishResult(ack.reasonCode(), ack.properties());
            link.send(new Pubrel(op.packetId));
            return;
        }
        inflight.remove(op.packetId);
        ids.release(op.packetId);
        if (refused) {
            finish(op, null, new MqttClientException("the broker refused the publish to '" + op.message.topic()
                    + "': " + ack.reasonCode(), ack.reasonCode(),
                    ack.properties().string(PropertyId.REASON_STRING).orElse(null), null));
        } else {
            finish(op, ack instanceof Pubcomp ? op.received : new PublishResult(ack.reasonCode(), ack.properties()),
                    null);
        }
        drain(link);
    }

    /** The broker resumed the session: re-send what it has not acknowledged, with the original identifiers. */
    void resend(Link link) {
        // a copy: a message now above the broker's Maximum Packet Size leaves inflight as it fails
        for (OutboundPublish op : new ArrayList<>(inflight.values())) {
            if (op.phase == OutboundPublish.Phase.RELEASED) {
                link.send(new Pubrel(op.packetId));
            } else {
                send(link, op);
            }
        }
    }

    /**
     * The broker has no session: what was in flight goes back to the front of the queue, to be sent afresh with
     * new identifiers, except QoS 2 messages the broker already received (PUBREC), which count as delivered.
     */
    void sessionLost() {
        List<OutboundPublish> again = new ArrayList<>();
        for (OutboundPublish op : inflight.values()) {
            ids.release(op.packetId);
            op.packetId = 0;
            op.sentBefore = false;
            if (op.phase == OutboundPublish.Phase.RELEASED) {
                finish(op, op.received, null);
            } else {
                op.phase = OutboundPublish.Phase.WAITING;
                again.add(op);
            }
        }
        inflight.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            waiting.addFirst(again.get(i));
        }
    }

    /** Fails every publish (the client closed, or stopped reconnecting). */
    void failAll(MqttClientException why) {
        for (OutboundPublish op : inflight.values()) {
            ids.release(op.packetId);
            finish(op, null, why);
        }
        inflight.clear();
        for (OutboundPublish op : waiting) {
            finish(op, null, why);
        }
        waiting.clear();
    }

    /** The publish is over: free its room and report the outcome. */
    void finish(OutboundPublish op, PublishResult result, Throwable error) {
        budget.release(op.size);
        if (error != null) {
            op.done.completeExceptionally(error);
        } else {
            op.done.complete(result);
        }
    }
}
