package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

class StopSignalTest {
    @Test
    void releaseEndsTheWaitAndKeepsTheFirstReason() throws InterruptedException {
        try (StopSignal stop = StopSignal.install()) {
            assertNull(stop.await(10, TimeUnit.MILLISECONDS));
            stop.release("first");
            stop.release("second");
            assertEquals("first", stop.await(5, TimeUnit.SECONDS));
            assertEquals("first", stop.await());
        }
    }

    /** A real SIGTERM to this JVM, raised only when this JVM lets the handler catch it (else it would end it). */
    @Test
    void sigtermEndsTheWait() throws InterruptedException {
        try (StopSignal stop = StopSignal.install()) {
            assumeTrue(stop.caught().contains("SIGTERM"), "SIGTERM cannot be caught in this JVM");
            Signal.raise(new Signal("TERM"));
            assertEquals("SIGTERM", stop.await(10, TimeUnit.SECONDS));
            // The first signal put the JVM's own handlers back.
            assertEquals(List.of(), stop.caught());
        }
    }

    @Test
    void closePutsTheHandlersBack() {
        StopSignal stop = StopSignal.install();
        stop.close();
        assertEquals(List.of(), stop.caught());
    }
}
