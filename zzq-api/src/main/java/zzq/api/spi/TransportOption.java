package zzq.api.spi;

import java.util.Objects;

/**
 * A typed setting that a {@link Transport} understands, such as a TLS context or a WebSocket path. Options are
 * compared by identity of name and type: a transport publishes its options as constants.
 *
 * @param name the option's name, for messages
 * @param type the type of its value
 * @param <T>  the type of its value
 */
public record TransportOption<T>(String name, Class<T> type) {
    public TransportOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** The value checked against this option's type. */
    public T cast(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("transport option " + name + " takes a " + type.getName()
                    + ", not " + (value == null ? "null" : value.getClass().getName()));
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
