package zzq.codec.property;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Immutable binary data as MQTT carries it in properties, passwords and will payloads: at most 65 535 bytes
 * behind a two-byte length.
 *
 * <p>These values are small and long-lived (a will is kept for a whole connection), so they are copied out of
 * the read buffer rather than sliced: a slice would pin the whole buffer it came from.
 */
public final class BinaryData {
    /** The largest length a two-byte length prefix can carry. */
    public static final int MAX_LENGTH = 65_535;

    public static final BinaryData EMPTY = new BinaryData(new byte[0]);

    private final byte[] bytes;

    private BinaryData(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Binary data holding a copy of {@code bytes}.
     *
     * @throws IllegalArgumentException if longer than 65 535 bytes
     */
    public static BinaryData of(byte[] bytes) {
        checkLength(bytes.length);
        return bytes.length == 0 ? EMPTY : new BinaryData(bytes.clone());
    }

    /** Binary data holding a copy of the next {@code length} readable bytes of {@code buf}, which it reads. */
    public static BinaryData read(ByteBuf buf, int length) {
        checkLength(length);
        if (length == 0) {
            return EMPTY;
        }
        byte[] bytes = new byte[length];
        buf.readBytes(bytes);
        return new BinaryData(bytes);
    }

    private static void checkLength(int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("binary data is limited to 65535 bytes, not " + length);
        }
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** Whether there are no bytes. */
    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Writes the bytes (without a length prefix) to {@code out}. */
    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryData other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length <= 64
                ? HexFormat.of().formatHex(bytes)
                : HexFormat.of().formatHex(bytes, 0, 64) + "...(" + bytes.length + " bytes)";
    }
}
