package zzq.persistence.sqlite;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;

/**
 * Properties as a BLOB in MQTT 5.0's own property format (section 2.2.2): a variable byte integer length, then
 * identifier and value pairs, in order (so user properties keep theirs). The codec's writer of that format is not
 * exported from its module, so this is the same layout over plain arrays; a test checks it byte for byte against
 * the codec's encoder.
 */
final class PropertyBlob {
    private static final byte[] NONE = {0};

    private PropertyBlob() {
    }

    /** The bytes of these properties, length prefix included ({@code 00} for none). */
    static byte[] encode(Properties properties) {
        if (properties.isEmpty()) {
            return NONE;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64);
        for (int i = 0; i < properties.size(); i++) {
            PropertyId id = properties.idAt(i);
            Object value = properties.valueAt(i);
            writeVarInt(body, id.id());
            switch (id.type()) {
                case BYTE -> body.write((int) (long) (Long) value);
                case TWO_BYTE_INTEGER -> writeInt(body, (Long) value, 2);
                case FOUR_BYTE_INTEGER -> writeInt(body, (Long) value, 4);
                case VARIABLE_BYTE_INTEGER -> writeVarInt(body, (int) (long) (Long) value);
                case UTF8_STRING -> writeBytes(body, ((String) value).getBytes(StandardCharsets.UTF_8));
                case BINARY_DATA -> writeBytes(body, ((BinaryData) value).toByteArray());
                case UTF8_STRING_PAIR -> {
                    writeBytes(body, ((UserProperty) value).name().getBytes(StandardCharsets.UTF_8));
                    writeBytes(body, ((UserProperty) value).value().getBytes(StandardCharsets.UTF_8));
                }
                default -> throw new IllegalStateException("unhandled property type " + id.type());
            }
        }
        ByteArrayOutputStream blob = new ByteArrayOutputStream(body.size() + 4);
        writeVarInt(blob, body.size());
        blob.writeBytes(body.toByteArray());
        return blob.toByteArray();
    }

    /**
     * The properties these bytes hold.
     *
     * @throws IllegalArgumentException if they are not properties in this format (a damaged store)
     */
    static Properties decode(byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        try {
            int length = readVarInt(in);
            if (length != in.remaining()) {
                throw new IllegalArgumentException("property length " + length + " but " + in.remaining()
                        + " bytes follow");
            }
            Properties.Builder b = Properties.builder();
            while (in.hasRemaining()) {
                int code = readVarInt(in);
                PropertyId id = PropertyId.of(code);
                if (id == null) {
                    throw new IllegalArgumentException("unknown property identifier " + code);
                }
                switch (id.type()) {
                    case BYTE -> b.add(id, in.get() & 0xFFL);
                    case TWO_BYTE_INTEGER -> b.add(id, in.getShort() & 0xFFFFL);
                    case FOUR_BYTE_INTEGER -> b.add(id, in.getInt() & 0xFFFF_FFFFL);
                    case VARIABLE_BYTE_INTEGER -> b.add(id, readVarInt(in));
                    case UTF8_STRING -> b.add(id, readString(in));
                    case BINARY_DATA -> b.add(id, BinaryData.of(readBytes(in)));
                    case UTF8_STRING_PAIR -> b.add(new UserProperty(readString(in), readString(in)));
                    default -> throw new IllegalStateException("unhandled property type " + id.type());
                }
            }
            return b.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stored properties are damaged: " + e.getMessage(), e);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeInt(out, bytes.length, 2);
        out.writeBytes(bytes);
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static int readVarInt(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw new IllegalArgumentException("variable byte integer longer than four bytes");
    }

    private static byte[] readBytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xFFFF];
        in.get(bytes);
        return bytes;
    }

    private static String readString(ByteBuffer in) {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}
