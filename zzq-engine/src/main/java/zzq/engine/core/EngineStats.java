package zzq.engine.core;

import java.util.concurrent.atomic.LongAdder;
import zzq.codec.PacketType;
import zzq.codec.packet.MqttPacket;

/** Traffic counters of an engine, updated from every event loop without contention (the {@code $SYS} figures). */
public final class EngineStats {
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder publishReceived = new LongAdder();
    private final LongAdder publishSent = new LongAdder();

    void bytesReceived(int n) {
        bytesReceived.add(n);
    }

    void bytesSent(int n) {
        bytesSent.add(n);
    }

    void packetReceived(MqttPacket p) {
        packetsReceived.increment();
        if (p.type() == PacketType.PUBLISH) {
            publishReceived.increment();
        }
    }

    void packetSent(MqttPacket p) {
        packetsSent.increment();
        if (p.type() == PacketType.PUBLISH) {
            publishSent.increment();
        }
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    /** Every packet received. */
    public long messagesReceived() {
        return packetsReceived.sum();
    }

    /** Every packet sent. */
    public long messagesSent() {
        return packetsSent.sum();
    }

    public long publishReceived() {
        return publishReceived.sum();
    }

    public long publishSent() {
        return publishSent.sum();
    }
}
