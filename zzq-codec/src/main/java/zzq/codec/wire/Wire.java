package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;

/**
 * Bounds-checked reads of MQTT's fixed-size fields. Every read checks what is left of the packet first, so a
 * truncated or lying packet ends in a malformed-packet error and never in an index exception.
 */
public final class Wire {
    private Wire() {
    }

    /** Fails unless {@code n} more bytes of the packet are readable. */
    public static void requireReadable(ByteBuf in, int n, String what) {
        if (in.readableBytes() < n) {
            throw malformed("2.1.4", "packet ends inside " + what + ": needs " + n + " bytes, "
                    + in.readableBytes() + " left");
        }
    }

    public static int readUnsignedByte(ByteBuf in, String what) {
        requireReadable(in, 1, what);
        return in.readUnsignedByte();
    }

    public static int readUnsignedShort(ByteBuf in, String what) {
        requireReadable(in, 2, what);
        return in.readUnsignedShort();
    }

    public static long readUnsignedInt(ByteBuf in, String what) {
        requireReadable(in, 4, what);
        return in.readUnsignedInt();
    }
}
