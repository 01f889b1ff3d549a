package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SeenSequences} tells first copies from duplicates in order, out of order, across gaps and a full window. */
class SeenSequencesTest {
    @Test
    void inOrderWithDuplicates() {
        SeenSequences seen = new SeenSequences();
        for (long s = 0; s < 1_000_000; s++) {
            assertTrue(seen.add(s));
            if (s % 1000 == 0) {
                assertFalse(seen.add(s), "a second copy of " + s);
            }
        }
        assertEquals(1_000_000, seen.distinct());
        assertEquals(1_000, seen.duplicates());
        assertFalse(seen.add(0), "long since passed");
    }

    @Test
    void shuffledWithinTheWindow() {
        long seed = 7;
        List<Long> order = new ArrayList<>();
        for (long s = 0; s < 100_000; s++) {
            order.add(s);
        }
        Collections.shuffle(order, new Random(seed));
        SeenSequences seen = new SeenSequences();
        for (long s : order) {
            assertTrue(seen.add(s), s + " (seed " + seed + ")");
        }
        for (long s : order.subList(0, 500)) {
            assertFalse(seen.add(s), s + " (seed " + seed + ")");
        }
        assertEquals(100_000, seen.distinct());
        assertEquals(500, seen.duplicates());
    }

    @Test
    void gapsStayOpenUntilTheWindowSlidesPastThem() {
        SeenSequences seen = new SeenSequences();
        for (long s = 1; s < 10_000; s += 2) {
            assertTrue(seen.add(s)); // every even one is missing so far
        }
        for (long s = 0; s < 10_000; s += 2) {
            assertTrue(seen.add(s), "late but the first: " + s);
        }
        assertTrue(seen.add(3 * SeenSequences.WINDOW)); // slides the window: it now starts just past 2 × WINDOW
        assertTrue(seen.add(2 * SeenSequences.WINDOW + 100), "still within the window");
        assertFalse(seen.add(2 * SeenSequences.WINDOW + 100));
        assertFalse(seen.add(12_345), "below the window: counted as a duplicate, as documented");
        assertEquals(10_002, seen.distinct());
        assertEquals(2, seen.duplicates());
    }
}
