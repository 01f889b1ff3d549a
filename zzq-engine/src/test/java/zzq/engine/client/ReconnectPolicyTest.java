package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.engine.ReconnectPolicy;

/** ReconnectPolicy.delay: exponential backoff with jitter, always within its bounds. */
class ReconnectPolicyTest {
    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }

    @Test
    @DisplayName("each delay is the nominal min x multiplier^(attempt-1), capped at max, within ± jitter")
    void delaysWithinBounds() {
        ReconnectPolicy p = new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.25);
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 1; attempt <= 40; attempt++) {
            double nominal = Math.min(100 * Math.pow(2, attempt - 1), 5000);
            for (int i = 0; i < 200; i++) {
                double d = ms(p.delay(attempt, random.nextDouble()));
                assertTrue(d >= nominal * 0.75 - 1e-6 && d <= nominal * 1.25 + 1e-6,
                        "attempt " + attempt + ": " + d + " ms, nominal " + nominal);
            }
            assertEquals(nominal * 0.75, ms(p.delay(attempt, 0.0)), 1e-3, "random 0: the low end");
            assertEquals(nominal, ms(p.delay(attempt, 0.5)), 1e-3, "random 0.5: the nominal delay");
            assertTrue(ms(p.delay(attempt, Math.nextDown(1.0))) <= nominal * 1.25 + 1e-6);
        }
    }

    @Test
    @DisplayName("delays never shrink from one attempt to the next at the same random draw")
    void monotonic() {
        ReconnectPolicy p = ReconnectPolicy.DEFAULT;
        for (double r : new double[] {0.0, 0.3, 0.5, 0.99}) {
            Duration previous = Duration.ZERO;
            for (int attempt = 1; attempt < 100; attempt++) {
                Duration d = p.delay(attempt, r);
                assertTrue(d.compareTo(previous) >= 0, "attempt " + attempt);
                previous = d;
            }
        }
    }

    @Test
    @DisplayName("huge attempt numbers stay at the cap (no overflow); attempt 0 or less counts as the first")
    void extremes() {
        ReconnectPolicy p = ReconnectPolicy.backoff(Duration.ofMillis(10), Duration.ofSeconds(1));
        assertEquals(1000, ms(p.delay(Integer.MAX_VALUE, 0.5)), 1e-3);
        assertEquals(1250, ms(p.delay(Integer.MAX_VALUE, Math.nextDown(1.0))), 1e-3);
        assertEquals(10, ms(p.delay(0, 0.5)), 1e-3);
        assertEquals(10, ms(p.delay(-5, 0.5)), 1e-3);
        ReconnectPolicy noJitter = new ReconnectPolicy(true, Duration.ofMillis(7), Duration.ofMillis(7), 1.0, 0);
        for (int attempt = 1; attempt < 10; attempt++) {
            assertEquals(Duration.ofMillis(7), noJitter.delay(attempt, Math.random()), "constant without jitter");
        }
        ReconnectPolicy tiny = new ReconnectPolicy(true, Duration.ofNanos(1), Duration.ofNanos(1), 1.0, 1.0);
        assertTrue(tiny.delay(1, 0.0).toNanos() >= 1, "never zero or negative");
    }

    @Test
    @DisplayName("the constants and backoff(): DEFAULT 100 ms to 30 s doubling ±25 %; NEVER is off")
    void constants() {
        assertTrue(ReconnectPolicy.DEFAULT.enabled());
        assertEquals(Duration.ofMillis(100), ReconnectPolicy.DEFAULT.minDelay());
        assertEquals(Duration.ofSeconds(30), ReconnectPolicy.DEFAULT.maxDelay());
        assertEquals(2.0, ReconnectPolicy.DEFAULT.multiplier());
        assertEquals(0.25, ReconnectPolicy.DEFAULT.jitter());
        assertFalse(ReconnectPolicy.NEVER.enabled());
        ReconnectPolicy b = ReconnectPolicy.backoff(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertTrue(b.enabled());
        assertEquals(2.0, b.multiplier());
    }

    @Test
    @DisplayName("the constructor refuses inconsistent values")
    void validation() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s.multipliedBy(2), s, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, Duration.ZERO, s, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s.negated(), s, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s, s, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s, s, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectPolicy(true, s, s, Double.POSITIVE_INFINITY, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s, s, 2, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s, s, 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectPolicy(true, s, s, 2, Double.NaN));
    }
}
