package zzq.engine.core;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import zzq.api.Endpoint;
import zzq.api.spi.Transport;

/**
 * The transports the engine knows, keyed by URL scheme. Built once from {@link ServiceLoader}: a transport module on
 * the module path (or a {@code META-INF/services} entry on the class path) adds its schemes without any change here.
 */
public final class TransportRegistry {
    private final Map<String, Transport> bySchemes;

    private TransportRegistry(Map<String, Transport> bySchemes) {
        this.bySchemes = bySchemes;
    }

    /** The registry of every installed transport, loaded on first use. */
    public static TransportRegistry installed() {
        return Installed.REGISTRY;
    }

    private static final class Installed {
        static final TransportRegistry REGISTRY = of(ServiceLoader.load(Transport.class));
    }

    /**
     * A registry of these transports.
     *
     * @throws IllegalStateException when two transports claim one scheme, naming the scheme and both
     */
    public static TransportRegistry of(Iterable<? extends Transport> transports) {
        Map<String, Transport> map = new TreeMap<>();
        for (Transport t : transports) {
            for (String scheme : t.schemes()) {
                Transport other = map.putIfAbsent(scheme, t);
                if (other != null) {
                    throw new IllegalStateException("two transports provide the scheme '" + scheme + "': "
                            + other.getClass().getName() + " and " + t.getClass().getName()
                            + "; remove one from the module path");
                }
            }
        }
        return new TransportRegistry(Map.copyOf(map));
    }

    /**
     * The transport of the endpoint's scheme.
     *
     * @throws IllegalArgumentException naming the scheme and the schemes that are known
     */
    public Transport transportFor(Endpoint endpoint) {
        Transport t = bySchemes.get(endpoint.scheme());
        if (t == null) {
            throw new IllegalArgumentException("no transport for the scheme '" + endpoint.scheme() + "' of "
                    + endpoint + "; known schemes: " + (bySchemes.isEmpty() ? "none (no transport module is on "
                    + "the module path)" : String.join(", ", new TreeMap<>(bySchemes).keySet())));
        }
        return t;
    }

    /** The known schemes, sorted. */
    public java.util.Set<String> schemes() {
        return new TreeMap<>(bySchemes).keySet();
    }
}
