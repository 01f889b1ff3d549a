package zzq.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a buffer that was never released.
 *
 * <p>Annotate every test class that touches buffers with {@code @ExtendWith(LeakGuard.class)}. The guard puts
 * the detector at PARANOID (every buffer tracked) and installs a detector factory that records reports, before
 * the buffer classes create their detector. After each test it collects garbage and allocates, which is when
 * Netty notices collected-but-unreleased buffers, and fails if any were reported.
 */
public final class LeakGuard implements AfterEachCallback {
    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                       long maxActive) {
                ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval, maxActive);
                detector.setLeakListener((type, records) -> record(type + " leaked:\n" + records));
                return detector;
            }

            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
                ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval);
                detector.setLeakListener((type, records) -> record(type + " leaked:\n" + records));
                return detector;
            }
        });
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    /** Collects garbage and lets the detector report; returns and clears what it reported. */
    public static List<String> collectLeaks() {
        return collectLeaks(3);
    }

    /**
     * As {@link #collectLeaks()}, with {@code rounds} of collection. A leak that a round misses is reported by
     * a later one, so it still fails a test of the run, if not the one that leaked.
     */
    public static List<String> collectLeaks(int rounds) {
        for (int round = 0; round < rounds; round++) {
            System.gc();
            System.runFinalization();
            // The detector polls its reference queue when a new buffer is tracked.
            for (int i = 0; i < 16; i++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(1);
                probe.release();
            }
        }
        synchronized (LEAKS) {
            List<String> found = List.copyOf(LEAKS);
            LEAKS.clear();
            return found;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = collectLeaks(1);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " buffer leak(s) in " + context.getDisplayName() + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
