package zzq.codec.property;

import static zzq.codec.MalformedPacketException.malformed;
import static zzq.codec.MalformedPacketException.protocolError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import zzq.codec.PacketType;
import zzq.codec.wire.Utf8;

/**
 * The properties of an MQTT 5.0 packet or will: an immutable, ordered list of (property, value) pairs.
 *
 * <p>Order is kept as written, so user properties keep theirs (MQTT-3.3.2-18) and a decoded packet encodes back
 * to the same bytes. Values are {@code Long} for the integer types, {@code String}, {@link BinaryData} and
 * {@link UserProperty}. A property that may appear only once is refused a second time when the list is built;
 * where a property may appear is checked against the packet by {@link #checkAllowedIn(PacketType)}.
 */
public final class Properties {
    /** No properties: what every MQTT 3.1.1 packet carries. */
    public static final Properties EMPTY = new Properties(new PropertyId[0], new Object[0]);

    private final PropertyId[] ids;
    private final Object[] values;

    private Properties(PropertyId[] ids, Object[] values) {
        this.ids = ids;
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these properties. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < ids.length; i++) {
            b.append(ids[i], values[i]);
        }
        return b;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    /** The number of properties, counting each repetition. */
    public int size() {
        return ids.length;
    }

    /** The property at {@code index}, in wire order. */
    public PropertyId idAt(int index) {
        return ids[index];
    }

    /** The value at {@code index}: a {@code Long}, {@code String}, {@link BinaryData} or {@link UserProperty}. */
    public Object valueAt(int index) {
        return values[index];
    }

    public boolean contains(PropertyId id) {
        return indexOf(id) >= 0;
    }

    /** The value of an integer property, if present (the first, for a repeated one). */
    public OptionalLong integer(PropertyId id) {
        int i = indexOf(id);
        return i < 0 ? OptionalLong.empty() : OptionalLong.of((Long) values[i]);
    }

    /** The value of an integer property, or {@code otherwise} when absent; allocates nothing. */
    public long integerOr(PropertyId id, long otherwise) {
        int i = indexOf(id);
        return i < 0 ? otherwise : (Long) values[i];
    }

    /** The value of a string property, if present. */
    public Optional<String> string(PropertyId id) {
        int i = indexOf(id);
        return i < 0 ? Optional.empty() : Optional.of((String) values[i]);
    }

    /** The value of a binary property, if present. */
    public Optional<BinaryData> binary(PropertyId id) {
        int i = indexOf(id);
        return i < 0 ? Optional.empty() : Optional.of((BinaryData) values[i]);
    }

    /** The user properties in order. */
    public List<UserProperty> userProperties() {
        List<UserProperty> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == PropertyId.USER_PROPERTY) {
                out.add((UserProperty) values[i]);
            }
        }
        return List.copyOf(out);
    }

    /** The subscription identifiers in order (several in a PUBLISH that matched several subscriptions). */
    public List<Integer> subscriptionIdentifiers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                out.add(((Long) values[i]).intValue());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Checks that every property may appear in a packet of this type.
     *
     * @throws zzq.codec.MalformedPacketException a malformed packet naming the first property out of place
     *         (section 2.2.2.2), or a protocol error for a second Subscription Identifier in a SUBSCRIBE
     */
    public void checkAllowedIn(PacketType type) {
        boolean seenSubscriptionId = false;
        for (PropertyId id : ids) {
            if (!id.isAllowedIn(type)) {
                // "A Control Packet which contains an Identifier which is not valid for its packet type ... is a
                // Malformed Packet" (MQTT 5.0 section 2.2.2.2).
                throw malformed("2.2.2.2", id + " may not appear in " + type);
            }
            if (id == PropertyId.SUBSCRIPTION_IDENTIFIER && !id.isRepeatableIn(type)) {
                if (seenSubscriptionId) {
                    throw protocolError("3.8.2.1.2", "SUBSCRIPTION_IDENTIFIER may appear once in " + type);
                }
                seenSubscriptionId = true;
            }
        }
    }

    /**
     * Checks that every property may appear in a CONNECT's will properties.
     *
     * @throws zzq.codec.MalformedPacketException a malformed packet naming the first property out of place (section 2.2.2.2)
     */
    public void checkAllowedInWill() {
        for (PropertyId id : ids) {
            if (!id.isAllowedInWill()) {
                throw malformed("2.2.2.2", id + " may not appear in will properties");
            }
        }
    }

    private int indexOf(PropertyId id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Properties other && Arrays.equals(ids, other.ids) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }

    /**
     * Builds {@link Properties}. A value the specification forbids is refused with a
     * {@link zzq.codec.MalformedPacketException} naming the rule; a value of the wrong type with an
     * {@link IllegalArgumentException}.
     */
    public static final class Builder {
        private PropertyId[] ids = new PropertyId[4];
        private Object[] values = new Object[4];
        private int size;
        /** Bit i set: property i is present, so a second once-only one is refused without a scan. */
        private long present;

        private Builder() {
        }

        /** Adds an integer property. */
        public Builder add(PropertyId id, long value) {
            id.checkValue(value);
            return append(id, value);
        }

        /** Adds a string property. */
        public Builder add(PropertyId id, String value) {
            return append(id, checkString(id, value));
        }

        /** Adds a binary property. */
        public Builder add(PropertyId id, BinaryData value) {
            return append(id, checkBinary(id, value));
        }

        /** Adds a user property after those already added. */
        public Builder userProperty(String name, String value) {
            return append(PropertyId.USER_PROPERTY, new UserProperty(name, value));
        }

        /** Adds a user property after those already added. */
        public Builder add(UserProperty property) {
            return append(PropertyId.USER_PROPERTY, Objects.requireNonNull(property, "property"));
        }

        /** Replaces every occurrence of an integer property with this one value, at the first one's place. */
        public Builder set(PropertyId id, long value) {
            id.checkValue(value);
            return replace(id, value);
        }

        /** Replaces every occurrence of a string property with this one value, at the first one's place. */
        public Builder set(PropertyId id, String value) {
            return replace(id, checkString(id, value));
        }

        /** Replaces every occurrence of a binary property with this one value, at the first one's place. */
        public Builder set(PropertyId id, BinaryData value) {
            return replace(id, checkBinary(id, value));
        }

        /** Removes every occurrence of a property. */
        public Builder remove(PropertyId id) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (ids[i] != id) {
                    ids[kept] = ids[i];
                    values[kept++] = values[i];
                }
            }
            Arrays.fill(ids, kept, size, null);
            Arrays.fill(values, kept, size, null);
            size = kept;
            present &= ~(1L << id.id());
            return this;
        }

        public Properties build() {
            return size == 0 ? EMPTY : new Properties(Arrays.copyOf(ids, size), Arrays.copyOf(values, size));
        }

        private Builder replace(PropertyId id, Object value) {
            int first = indexOf(id);
            if (first < 0) {
                return append(id, value);
            }
            remove(id);
            insert(first, id, value);
            return this;
        }

        private int indexOf(PropertyId id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    return i;
                }
            }
            return -1;
        }

        Builder append(PropertyId id, Object value) {
            // Subscription Identifier repeats in PUBLISH only; checkAllowedIn(SUBSCRIBE) refuses a second one there.
            long bit = 1L << id.id();
            if ((present & bit) != 0 && id != PropertyId.USER_PROPERTY && id != PropertyId.SUBSCRIPTION_IDENTIFIER) {
                throw protocolError("2.2.2.2", id + " may appear only once");
            }
            insert(size, id, value);
            return this;
        }

        private void insert(int index, PropertyId id, Object value) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            System.arraycopy(ids, index, ids, index + 1, size - index);
            System.arraycopy(values, index, values, index + 1, size - index);
            ids[index] = id;
            values[index] = value;
            size++;
            present |= 1L << id.id();
        }

        private static String checkString(PropertyId id, String value) {
            requireType(id, PropertyType.UTF8_STRING);
            Utf8.check(value, id.toString());
            return value;
        }

        private static BinaryData checkBinary(PropertyId id, BinaryData value) {
            requireType(id, PropertyType.BINARY_DATA);
            return Objects.requireNonNull(value, id.toString());
        }

        private static void requireType(PropertyId id, PropertyType type) {
            if (id.type() != type) {
                throw new IllegalArgumentException(id + " holds a " + id.type() + ", not a " + type);
            }
        }
    }
}
