package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.MonitorEvent;

/**
 * A fresh broker on a loopback port 0 for each test; subclasses change {@link #options()}. Every test of every
 * subclass is bounded by the class timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BrokerFixture {
    /** How long any single expected thing may take to happen. */
    static final long WAIT_SECONDS = 15;

    Broker broker;
    int port;

    BrokerOptions options() throws Exception {
        return BrokerOptions.DEFAULTS;
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = Broker.start(options());
        port = broker.bind("mqtt://127.0.0.1:0").port();
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The URI the Paho clients take. */
    String tcpUri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** A latch released when the broker has ended the connection of {@code clientId}, for whatever reason. */
    CountDownLatch disconnectOf(String clientId) {
        CountDownLatch gone = new CountDownLatch(1);
        broker.onMonitorEvent(e -> {
            if (e instanceof MonitorEvent.Disconnected && clientId.equals(((MonitorEvent.Disconnected) e).clientId())) {
                gone.countDown();
            }
        });
        return gone;
    }

    /**
     * Returns once {@link System#nanoTime()} has passed {@code deadlineNanos}: for tests whose subject is the clock
     * itself (an expiry interval), the condition is the moment, measured from an event the test saw, not a guess.
     */
    static void awaitClockPast(long deadlineNanos) {
        for (long left; (left = deadlineNanos - System.nanoTime()) >= 0; ) {
            java.util.concurrent.locks.LockSupport.parkNanos(left + 1);
        }
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting for " + what);
    }
}
