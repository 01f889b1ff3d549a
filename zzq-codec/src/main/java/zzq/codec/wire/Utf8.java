package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * MQTT's UTF-8 encoded strings (MQTT 5.0 section 1.5.4): a two-byte length, then well-formed UTF-8 with no
 * surrogate code points (MQTT-1.5.4-1) and no U+0000 (MQTT-1.5.4-2), at most 65 535 bytes long.
 *
 * <p>Bytes are validated by hand before decoding because the JDK's decoder replaces bad input instead of
 * refusing it; the common all-ASCII case costs one pass over the bytes and one String.
 */
public final class Utf8 {
    /** The largest encoded length a two-byte prefix can carry. */
    public static final int MAX_BYTES = 65_535;

    private Utf8() {
    }

    /**
     * Checks that {@code s} is a string MQTT may carry and returns its encoded length in bytes.
     *
     * @throws zzq.codec.MalformedPacketException naming the rule it breaks
     */
    public static int check(String s, String what) {
        if (s == null) {
            throw new NullPointerException(what);
        }
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == 0) {
                    throw malformed("MQTT-1.5.4-2", what + " must not contain U+0000");
                }
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformed("MQTT-1.5.4-1", what + " contains an unpaired surrogate at index " + i);
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_BYTES) {
            throw malformed("MQTT-1.5.4", what + " encodes to " + bytes + " bytes; the limit is 65535");
        }
        return bytes;
    }

    /** The encoded length of a string already {@linkplain #check checked}. */
    public static int encodedLength(String s) {
        return ByteBufUtil.utf8Bytes(s);
    }

    /** Writes a checked string with its two-byte length prefix. */
    public static void write(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        out.writeShort(length);
        // Reserve exactly the encoded length: writeUtf8 alone reserves 3 bytes a char, which overflows a buffer
        // sized exactly to its packet (MqttEncoder.encode) when a string is long next to what follows it.
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    /**
     * Reads a length-prefixed string, validating its bytes.
     *
     * @throws zzq.codec.MalformedPacketException if the bytes are truncated or are not an MQTT UTF-8 string
     */
    public static String read(ByteBuf in, String what) {
        int length = Wire.readUnsignedShort(in, what);
        Wire.requireReadable(in, length, what);
        int start = in.readerIndex();
        validate(in, start, length, what);
        String s = in.toString(start, length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    /** Validates {@code length} bytes at {@code start} as MQTT UTF-8 without moving any index. */
    static void validate(ByteBuf in, int start, int length, String what) {
        int i = start;
        int end = start + length;
        while (i < end) {
            int b = in.getByte(i) & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    throw malformed("MQTT-1.5.4-2", what + " contains U+0000");
                }
                i++;
                continue;
            }
            int continuations;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                continuations = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuations = 2;
                if (b == 0xE0) {
                    min = 0xA0; // overlong
                } else if (b == 0xED) {
                    max = 0x9F; // U+D800..U+DFFF: surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuations = 3;
                if (b == 0xF0) {
                    min = 0x90; // overlong
                } else if (b == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                throw illFormed(what, i - start);
            }
            if (i + continuations >= end) {
                throw illFormed(what, i - start);
            }
            int first = in.getByte(i + 1) & 0xFF;
            if (first < min || first > max) {
                throw b == 0xED
                        ? malformed("MQTT-1.5.4-1", what + " encodes a surrogate code point at byte " + (i - start))
                        : illFormed(what, i - start);
            }
            for (int k = 2; k <= continuations; k++) {
                int c = in.getByte(i + k) & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    throw illFormed(what, i - start);
                }
            }
            i += continuations + 1;
        }
    }

    private static RuntimeException illFormed(String what, int offset) {
        return malformed("MQTT-1.5.4-1", what + " is not well-formed UTF-8 at byte " + offset);
    }
}
