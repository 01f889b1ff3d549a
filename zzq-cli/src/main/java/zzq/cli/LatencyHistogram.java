package zzq.cli;

import java.util.Arrays;

/**
 * A log-linear histogram of latencies in nanoseconds, for {@code zzq bench}: exact below 256 ns, then each power of
 * two split into 128 equal buckets, so that any value is known to within 1/128 (0.8%) of itself, from 1 ns to
 * {@link #HIGHEST} (about 73 minutes; a larger value counts as that). It keeps the exact count, minimum, maximum
 * and sum besides; histograms {@link #add(LatencyHistogram) add up}, so per-subscriber and per-second histograms
 * merge into one. A fixed 4,608 buckets (36 KiB). Not thread-safe: its owner synchronizes.
 *
 * <p>Written here rather than taken from HdrHistogram, which is not a named JPMS module; it is the same idea.
 */
final class LatencyHistogram {
    /** The largest value told apart: 2<sup>42</sup> - 1 ns. */
    static final long HIGHEST = (1L << 42) - 1;
    /** Buckets per power of two, and the bound below which every value has a bucket of its own (twice that). */
    private static final int SUB_BUCKET_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = index(HIGHEST) + 1;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private long sum;

    /** Records one value; a negative one counts as 0, one above {@link #HIGHEST} as that (the maximum stays exact). */
    void record(long nanos) {
        long value = Math.max(0, nanos);
        long kept = Math.min(value, HIGHEST);
        counts[index(kept)]++;
        count++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += kept; // cannot overflow before 2^21 values of 73 minutes each
    }

    /** Adds another histogram's values to this one's. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        sum += other.sum;
    }

    /** Forgets every value. */
    void reset() {
        Arrays.fill(counts, 0);
        count = 0;
        min = Long.MAX_VALUE;
        max = 0;
        sum = 0;
    }

    long count() {
        return count;
    }

    /** The largest value recorded, exactly; 0 when empty. */
    long max() {
        return max;
    }

    /** The mean value (each counted as at most {@link #HIGHEST}); 0 when empty. */
    double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The value below or at which {@code percent} % of the values lie: the upper end of the bucket holding the
     * value of that rank (the ⌈percent/100 × count⌉-th smallest), kept within the exact minimum and maximum; 0 when
     * empty.
     */
    long percentile(double percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a percentile is 0 to 100, not " + percent);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                // the last bucket holds every value from its start up, so its end is the exact maximum
                return i == BUCKETS - 1 ? max : Math.max(min, Math.min(max, highestIn(i)));
            }
        }
        return max;
    }

    /** The bucket of a value from 0 to {@link #HIGHEST}. */
    private static int index(long value) {
        int msb = 63 - Long.numberOfLeadingZeros(value);
        if (msb <= SUB_BUCKET_BITS) {
            return (int) value; // below 2 × SUB_BUCKETS: one bucket per value
        }
        int shift = msb - SUB_BUCKET_BITS;
        return shift * SUB_BUCKETS + (int) (value >>> shift);
    }

    /** The largest value that falls in a bucket. */
    private static long highestIn(int index) {
        if (index < 2 * SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long lowest = (long) (index % SUB_BUCKETS + SUB_BUCKETS) << shift;
        return lowest + (1L << shift) - 1;
    }
}
