package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;

/**
 * MQTT's variable byte integer (MQTT 5.0 section 1.5.5): seven bits a byte, least significant group first, the
 * high bit set on every byte but the last; one to four bytes, 0 to 268 435 455.
 */
public final class VariableByteInteger {
    /** The largest value four bytes can carry. */
    public static final int MAX_VALUE = 268_435_455;

    /** Returned by {@link #peek} when the bytes so far do not finish the integer. */
    public static final long INCOMPLETE = -1;

    private VariableByteInteger() {
    }

    /** How many bytes {@code value} takes on the wire. */
    public static int size(int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    public static void write(ByteBuf out, int value) {
        size(value);
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    /**
     * Reads an integer at the reader index and advances past it.
     *
     * @throws zzq.codec.MalformedPacketException if truncated, longer than four bytes or not minimally encoded
     */
    public static int read(ByteBuf in, String what) {
        long packed = peek(in, in.readerIndex(), in.writerIndex(), what);
        if (packed == INCOMPLETE) {
            throw malformed("1.5.5", "packet ends inside " + what);
        }
        in.skipBytes((int) (packed >>> 32));
        return (int) packed;
    }

    /**
     * Decodes an integer at {@code index} without moving any index, looking no further than {@code limit}.
     *
     * @return {@link #INCOMPLETE}, or the value in the low 32 bits and the byte count in the high 32 bits
     * @throws zzq.codec.MalformedPacketException if longer than four bytes or not minimally encoded
     */
    public static long peek(ByteBuf in, int index, int limit, String what) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (index + i >= limit) {
                return INCOMPLETE;
            }
            int b = in.getByte(index + i) & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw malformed("MQTT-1.5.5-1", what + " is not encoded in the fewest bytes");
                }
                return ((long) (i + 1) << 32) | value;
            }
        }
        throw malformed("1.5.5", what + " is longer than four bytes");
    }
}
