package zzq.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard itself can fail: a buffer dropped without release is reported. */
@ExtendWith(LeakGuard.class)
class LeakGuardTest {
    @Test
    void reportsABufferThatIsNeverReleased() {
        leakOne();
        boolean reported = false;
        for (int attempt = 0; attempt < 20 && !reported; attempt++) {
            reported = LeakGuard.collectLeaks().stream().anyMatch(s -> s.contains("leaked"));
        }
        assertTrue(reported, "the deliberately leaked buffer was not reported");
    }

    @Test
    void staysQuietWhenEveryBufferIsReleased() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(42);
        buf.release();
        assertFalse(LeakGuard.collectLeaks().stream().anyMatch(s -> s.contains("leaked")));
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.writeLong(7);
        // dropped on purpose
    }
}
