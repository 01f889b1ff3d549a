package zzq.engine.broker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The broker role's own counters (traffic is counted by the engine). Updated from every loop. */
final class BrokerStats {
    private final LongAdder dropped = new LongAdder();
    private final LongAdder publishersPaused = new LongAdder();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong maximum = new AtomicLong();

    /** A message not delivered to one subscriber because of a limit (queue, packet size, expiry). */
    void dropped() {
        dropped.increment();
    }

    void publisherPaused() {
        publishersPaused.increment();
    }

    void clientConnected() {
        int now = connected.incrementAndGet();
        maximum.accumulateAndGet(now, Math::max);
    }

    void clientDisconnected() {
        connected.decrementAndGet();
    }

    long droppedCount() {
        return dropped.sum();
    }

    long publishersPausedCount() {
        return publishersPaused.sum();
    }

    int connectedCount() {
        return connected.get();
    }

    long maximumConnected() {
        return maximum.get();
    }
}
