package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import zzq.codec.PacketType;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;

/** Properties on the wire: a variable byte integer length, then identifier and value pairs. */
public final class PropertiesWire {
    private PropertiesWire() {
    }

    /**
     * Reads a property length and the properties it covers, checking each against {@code packet}, or against a
     * will's properties when {@code packet} is null.
     */
    public static Properties read(ByteBuf in, PacketType packet) {
        int length = VariableByteInteger.read(in, "property length");
        if (length == 0) {
            return Properties.EMPTY;
        }
        Wire.requireReadable(in, length, "properties");
        // Bound the buffer at the properties' end rather than slice it: one object less per packet.
        int writerIndex = in.writerIndex();
        in.writerIndex(in.readerIndex() + length);
        try {
            return readBounded(in, packet);
        } finally {
            in.writerIndex(writerIndex);
        }
    }

    private static Properties readBounded(ByteBuf props, PacketType packet) {
        Properties.Builder b = Properties.builder();
        while (props.isReadable()) {
            int idValue = VariableByteInteger.read(props, "property identifier");
            PropertyId id = PropertyId.of(idValue);
            if (id == null) {
                throw malformed("2.2.2.2", "unknown property identifier 0x" + Integer.toHexString(idValue));
            }
            String what = id.toString();
            switch (id.type()) {
                case BYTE -> b.add(id, Wire.readUnsignedByte(props, what));
                case TWO_BYTE_INTEGER -> b.add(id, Wire.readUnsignedShort(props, what));
                case FOUR_BYTE_INTEGER -> b.add(id, Wire.readUnsignedInt(props, what));
                case VARIABLE_BYTE_INTEGER -> b.add(id, VariableByteInteger.read(props, what));
                case UTF8_STRING -> b.add(id, Utf8.read(props, what));
                case BINARY_DATA -> b.add(id, readBinary(props, what));
                case UTF8_STRING_PAIR -> b.add(new UserProperty(Utf8.read(props, "user property name"),
                        Utf8.read(props, "user property value")));
                default -> throw new IllegalStateException("unhandled property type " + id.type());
            }
        }
        Properties properties = b.build();
        if (packet == null) {
            properties.checkAllowedInWill();
        } else {
            properties.checkAllowedIn(packet);
        }
        return properties;
    }

    /** Reads two-byte-length binary data. */
    public static BinaryData readBinary(ByteBuf in, String what) {
        int length = Wire.readUnsignedShort(in, what);
        Wire.requireReadable(in, length, what);
        return BinaryData.read(in, length);
    }

    /** Writes two-byte-length binary data. */
    public static void writeBinary(ByteBuf out, BinaryData data) {
        out.writeShort(data.length());
        data.writeTo(out);
    }

    /** The bytes the properties take, without their length prefix. */
    public static int length(Properties p) {
        int n = 0;
        for (int i = 0; i < p.size(); i++) {
            PropertyId id = p.idAt(i);
            Object v = p.valueAt(i);
            n += 1 + switch (id.type()) {
                case BYTE -> 1;
                case TWO_BYTE_INTEGER -> 2;
                case FOUR_BYTE_INTEGER -> 4;
                case VARIABLE_BYTE_INTEGER -> VariableByteInteger.size(((Long) v).intValue());
                case UTF8_STRING -> 2 + Utf8.encodedLength((String) v);
                case BINARY_DATA -> 2 + ((BinaryData) v).length();
                case UTF8_STRING_PAIR -> 4 + Utf8.encodedLength(((UserProperty) v).name())
                        + Utf8.encodedLength(((UserProperty) v).value());
            };
        }
        return n;
    }

    /** The bytes the properties take with their length prefix. */
    public static int lengthWithPrefix(Properties p) {
        int n = length(p);
        return VariableByteInteger.size(n) + n;
    }

    /** Writes the property length, then the properties. */
    public static void write(ByteBuf out, Properties p) {
        VariableByteInteger.write(out, length(p));
        for (int i = 0; i < p.size(); i++) {
            PropertyId id = p.idAt(i);
            Object v = p.valueAt(i);
            out.writeByte(id.id());
            switch (id.type()) {
                case BYTE -> out.writeByte(((Long) v).intValue());
                case TWO_BYTE_INTEGER -> out.writeShort(((Long) v).intValue());
                case FOUR_BYTE_INTEGER -> out.writeInt((int) (long) (Long) v);
                case VARIABLE_BYTE_INTEGER -> VariableByteInteger.write(out, ((Long) v).intValue());
                case UTF8_STRING -> Utf8.write(out, (String) v);
                case BINARY_DATA -> writeBinary(out, (BinaryData) v);
                case UTF8_STRING_PAIR -> {
                    Utf8.write(out, ((UserProperty) v).name());
                    Utf8.write(out, ((UserProperty) v).value());
                }
                default -> throw new IllegalStateException("unhandled property type " + id.type());
            }
        }
    }
}
