package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LatencyHistogram}'s percentiles agree with the exact ones to within 1%, across ns to minutes; merging. */
class LatencyHistogramTest {
    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(50, h.percentile(50));
        assertEquals(90, h.percentile(90));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(0));
        assertEquals(100, h.max());
        assertEquals(50.5, h.mean());
        assertEquals(100, h.count());
    }

    @Test
    void percentilesWithinOnePercentFromNanosecondsToMinutes() {
        long seed = 20_240_601L;
        Random random = new Random(seed);
        long[] values = new long[200_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            // log-uniform from 1 ns to about 20 minutes
            values[i] = (long) Math.exp(random.nextDouble() * Math.log(1.2e12));
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 10, 25, 50, 75, 90, 99, 99.9, 99.99}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            long got = h.percentile(p);
            assertTrue(got >= exact && got <= exact + exact / 100 + 1,
                    "p" + p + ": " + got + " vs exactly " + exact + " (seed " + seed + ")");
        }
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values[values.length - 1], h.percentile(100));
    }

    @Test
    void mergedHistogramsAnswerAsOne() {
        LatencyHistogram low = new LatencyHistogram();
        LatencyHistogram high = new LatencyHistogram();
        LatencyHistogram all = new LatencyHistogram();
        for (long v = 1_000; v <= 1_000_000; v += 1_000) {
            (v <= 500_000 ? low : high).record(v);
            all.record(v);
        }
        LatencyHistogram merged = new LatencyHistogram();
        merged.add(low);
        merged.add(high);
        for (double p : new double[] {1, 50, 90, 99, 100}) {
            assertEquals(all.percentile(p), merged.percentile(p), "p" + p);
        }
        assertEquals(1_000, merged.count());
        assertEquals(1_000_000, merged.max());
        assertEquals(all.mean(), merged.mean());
        // p50 of 1..1000 µs is 500 µs, to within 1%
        long p50 = merged.percentile(50);
        assertTrue(p50 >= 500_000 && p50 <= 505_000, Long.toString(p50));
    }

    @Test
    void resetEmptiesAndExtremesAreClamped() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.percentile(99));
        assertEquals(0, h.mean());
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(0, h.percentile(50));
        assertEquals(Long.MAX_VALUE, h.max(), "the maximum stays exact");
        assertEquals(Long.MAX_VALUE, h.percentile(100));
        h.reset();
        assertEquals(0, h.count());
        assertEquals(0, h.max());
        assertEquals(0, h.percentile(50));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(101));
    }
}
