package zzq.api.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An immutable set of {@link TransportOption} values for one bind or dial. */
public final class TransportOptions {
    /** No options. */
    public static final TransportOptions NONE = new TransportOptions(Map.of());

    private final Map<TransportOption<?>, Object> values;

    private TransportOptions(Map<TransportOption<?>, Object> values) {
        this.values = values;
    }

    /** These options and one more (replacing any value of that option). */
    public <T> TransportOptions with(TransportOption<T> option, T value) {
        Map<TransportOption<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(option, option.cast(value));
        return new TransportOptions(Map.copyOf(copy));
    }

    /** The value of {@code option}, if set. */
    public <T> Optional<T> get(TransportOption<T> option) {
        return Optional.ofNullable(values.get(option)).map(option::cast);
    }

    /** The options that have values. */
    public Set<TransportOption<?>> options() {
        return values.keySet();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
