package zzq.engine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PacketIdPool: identifiers 1 to 65 535, each in use once (MQTT-2.2.1-3), not reused at once when freed. */
class PacketIdPoolTest {
    @Test
    @DisplayName("hands out 1..65535 once each, then 0 when all are in use")
    void exhausts() {
        PacketIdPool pool = new PacketIdPool();
        BitSet seen = new BitSet();
        for (int i = 0; i < 65_535; i++) {
            int id = pool.take();
            assertTrue(id >= 1 && id <= 65_535, "id " + id);
            assertTrue(!seen.get(id), "id " + id + " handed out twice");
            seen.set(id);
        }
        assertEquals(65_535, pool.inUse());
        assertEquals(0, pool.take(), "none left");
        assertEquals(0, pool.take());
        pool.release(4711);
        assertEquals(4711, pool.take(), "the only free one");
        assertEquals(0, pool.take());
    }

    @Test
    @DisplayName("a freed identifier is not reused at once: the next one after the last is taken")
    void noImmediateReuse() {
        PacketIdPool pool = new PacketIdPool();
        assertEquals(1, pool.take());
        assertEquals(2, pool.take());
        pool.release(1);
        assertEquals(3, pool.take());
        pool.release(2);
        pool.release(3);
        assertEquals(4, pool.take());
        assertEquals(1, pool.inUse());
    }

    @Test
    @DisplayName("after 65535 it wraps to the lowest free identifier, skipping those in use")
    void wraps() {
        PacketIdPool pool = new PacketIdPool();
        for (int i = 0; i < 65_535; i++) {
            pool.take();
        }
        for (int id = 1; id <= 65_535; id++) {
            if (id != 1 && id != 3) {
                pool.release(id);
            }
        }
        assertEquals(2, pool.take(), "wrapped past 65535 and skipped 1, in use");
        assertEquals(4, pool.take(), "skipped 3");
        assertEquals(4, pool.inUse());
    }

    @Test
    @DisplayName("releasing 0, an unused or an already freed identifier changes nothing")
    void releaseIsIdempotent() {
        PacketIdPool pool = new PacketIdPool();
        int id = pool.take();
        pool.release(0);
        pool.release(500);
        assertEquals(1, pool.inUse());
        pool.release(id);
        pool.release(id);
        assertEquals(0, pool.inUse());
        assertTrue(pool.take() > 0);
        assertEquals(1, pool.inUse());
    }
}
