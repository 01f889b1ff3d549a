package zzq.codec.property;

/** The wire data types of MQTT 5.0 properties (MQTT 5.0 section 1.5). */
public enum PropertyType {
    /** One byte, 0 to 255. */
    BYTE,
    /** Two-byte big-endian unsigned integer, 0 to 65 535. */
    TWO_BYTE_INTEGER,
    /** Four-byte big-endian unsigned integer, 0 to 4 294 967 295. */
    FOUR_BYTE_INTEGER,
    /** Variable byte integer, 0 to 268 435 455. */
    VARIABLE_BYTE_INTEGER,
    /** UTF-8 encoded string with a two-byte length prefix. */
    UTF8_STRING,
    /** Binary data with a two-byte length prefix. */
    BINARY_DATA,
    /** A name and a value, both UTF-8 strings (only the User Property). */
    UTF8_STRING_PAIR;

    /** Whether values of this type are numbers (held as {@code long}). */
    public boolean isInteger() {
        return ordinal() <= VARIABLE_BYTE_INTEGER.ordinal();
    }

    /** The largest value of an integer type. */
    public long maxValue() {
        return switch (this) {
            case BYTE -> 0xFFL;
            case TWO_BYTE_INTEGER -> 0xFFFFL;
            case FOUR_BYTE_INTEGER -> 0xFFFF_FFFFL;
            case VARIABLE_BYTE_INTEGER -> 268_435_455L;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }
}
