package zzq.engine;

import java.time.Duration;

/**
 * When a {@link Client} dials again after losing its connection: exponential backoff with jitter, between
 * {@code minDelay} and {@code maxDelay}. The first retry waits about {@code minDelay}; each failed attempt
 * multiplies the wait by {@code multiplier} up to {@code maxDelay}; each wait is spread by up to
 * {@code ±jitter} of itself so that many clients dropped together do not return together.
 *
 * @param enabled    whether the client reconnects at all
 * @param minDelay   the first wait
 * @param maxDelay   the longest wait
 * @param multiplier how much each failed attempt lengthens the wait, at least 1
 * @param jitter     the spread, 0 to 1 (0.25: each wait is drawn within ±25 % of its nominal length)
 */
public record ReconnectPolicy(boolean enabled, Duration minDelay, Duration maxDelay, double multiplier,
                              double jitter) {
    /** On: from 100 ms doubling to 30 s, ±25 %. */
    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(true, Duration.ofMillis(100),
            Duration.ofSeconds(30), 2.0, 0.25);
    /** Off: a lost connection ends the client's connection for good (it may still {@link Client#connect}). */
    public static final ReconnectPolicy NEVER = new ReconnectPolicy(false, Duration.ofMillis(100),
            Duration.ofSeconds(30), 2.0, 0.25);

    public ReconnectPolicy {
        OptionChecks.positive("min delay", minDelay);
        OptionChecks.positive("max delay", maxDelay);
        if (maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("max delay " + maxDelay + " is below min delay " + minDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1, not " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be 0 to 1, not " + jitter);
        }
    }

    /** Reconnects with backoff from {@code min} to {@code max}, doubling, ±25 %. */
    public static ReconnectPolicy backoff(Duration min, Duration max) {
        return new ReconnectPolicy(true, min, max, 2.0, 0.25);
    }

    /**
     * The wait before retry number {@code attempt} (1 for the first), drawn with {@code random} from 0 (inclusive)
     * to 1 (exclusive).
     */
    public Duration delay(int attempt, double random) {
        double nominal = minDelay.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        nominal = Math.min(nominal, maxDelay.toNanos());
        double spread = nominal * jitter * (2 * random - 1);
        long nanos = (long) Math.max(1, Math.min(maxDelay.toNanos() * (1 + jitter), nominal + spread));
        return Duration.ofNanos(nanos);
    }
}
