package zzq.codec;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap allocator for tests that remembers every buffer it hands out and the size of every backing array it
 * allocates, growth included, so a test can bound a decoder's allocations and prove every buffer was released.
 *
 * <p>The decoder allocates through {@code in.alloc()}, so input buffers made by {@link #input} route the decoder's
 * own allocations here. Allocations made while {@link #input} builds a buffer are not counted as the decoder's.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> buffers = new ArrayList<>();
    private boolean building;
    private long counted;
    private int largest;
    private int allocations;

    TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity) {
            @Override
            protected byte[] allocateArray(int capacity) {
                if (!building) {
                    counted += capacity;
                    largest = Math.max(largest, capacity);
                    allocations++;
                }
                return super.allocateArray(capacity);
            }
        };
        buffers.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    /**
     * A buffer holding {@code length} bytes of {@code src} from {@code offset}, with {@code padding} unrelated bytes
     * in front of its reader index (so code that confuses absolute and relative indexes reads the wrong bytes).
     */
    ByteBuf input(byte[] src, int offset, int length, int padding) {
        building = true;
        try {
            ByteBuf buf = heapBuffer(padding + length);
            for (int i = 0; i < padding; i++) {
                buf.writeByte(0xEE);
            }
            buf.writeBytes(src, offset, length);
            buf.readerIndex(padding);
            return buf;
        } finally {
            building = false;
        }
    }

    ByteBuf input(byte[] src) {
        return input(src, 0, src.length, 0);
    }

    /** The size of the largest backing array allocated outside {@link #input} since the last {@link #resetCounts}. */
    int largestAllocation() {
        return largest;
    }

    /** How many backing arrays were allocated outside {@link #input} since the last {@link #resetCounts}. */
    int allocations() {
        return allocations;
    }

    /** Bytes of backing arrays allocated outside {@link #input} since the last {@link #resetCounts}. */
    long allocatedBytes() {
        return counted;
    }

    /** Buffers handed out and not yet released down to a reference count of 0. */
    List<ByteBuf> unreleased() {
        List<ByteBuf> live = new ArrayList<>();
        for (ByteBuf b : buffers) {
            if (b.refCnt() != 0) {
                live.add(b);
            }
        }
        return live;
    }

    /** Starts counting allocations afresh; the buffers handed out are still remembered. */
    void resetCounts() {
        counted = 0;
        largest = 0;
        allocations = 0;
    }

    /** Forgets every buffer (call once they are all released) and every count. */
    void reset() {
        buffers.clear();
        resetCounts();
    }
}
