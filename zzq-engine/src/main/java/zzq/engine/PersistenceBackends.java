package zzq.engine;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import zzq.api.spi.Persistence;
import zzq.api.spi.PersistenceException;
import zzq.api.spi.PersistenceProvider;

/**
 * Opens a broker's {@link Persistence} by URL, as the engine finds transports: the scheme picks a
 * {@link PersistenceProvider} found with {@link ServiceLoader} on the module path. {@code memory:} is built in
 * ({@link Persistence#NONE}: nothing survives a restart); {@code sqlite:PATH} comes with the module
 * {@code zzq.persistence.sqlite}; a third-party module adds its own schemes.
 *
 * <pre>{@code
 * Persistence store = PersistenceBackends.open("sqlite:/var/lib/zzq/zzq.db");
 * Broker broker = Broker.start(BrokerOptions.builder().persistence(store).build());
 * ...
 * broker.close();
 * store.close(); // the caller opened it, the caller closes it, after the broker
 * }</pre>
 */
public final class PersistenceBackends {
    /** The built-in scheme: memory only. */
    public static final String MEMORY = "memory";

    private PersistenceBackends() {
    }

    /**
     * Opens the store a URL names.
     *
     * @param url {@code memory:}, or a provider's URL such as {@code sqlite:/var/lib/zzq/zzq.db}
     * @throws PersistenceException for a URL without a scheme, a scheme no provider serves (naming the known ones),
     *                              or a store its provider cannot open (the provider's message)
     */
    public static Persistence open(String url) {
        int colon = url.indexOf(':');
        if (colon <= 0) {
            throw new PersistenceException("persistence URL '" + url + "' has no scheme: write memory: or, for "
                    + "example, sqlite:/var/lib/zzq/zzq.db");
        }
        String scheme = url.substring(0, colon);
        if (scheme.equals(MEMORY)) {
            if (url.length() > colon + 1) {
                throw new PersistenceException("memory: takes nothing after the colon, not '" + url + "'");
            }
            return Persistence.NONE;
        }
        PersistenceProvider provider = Installed.PROVIDERS.get(scheme);
        if (provider == null) {
            throw new PersistenceException("no persistence backend for the scheme '" + scheme + "' of '" + url
                    + "'; known schemes: " + String.join(", ", schemes()) + " (a backend is a module on the module "
                    + "path that provides zzq.api.spi.PersistenceProvider)");
        }
        return provider.open(url);
    }

    /** The schemes that {@link #open} knows, sorted: {@code memory} and those of the installed providers. */
    public static Set<String> schemes() {
        TreeMap<String, PersistenceProvider> all = new TreeMap<>(Installed.PROVIDERS);
        all.put(MEMORY, null);
        return all.keySet();
    }

    /** The providers on the module path, by scheme, loaded on first use. */
    private static final class Installed {
        static final Map<String, PersistenceProvider> PROVIDERS = load();

        private static Map<String, PersistenceProvider> load() {
            Map<String, PersistenceProvider> byScheme = new TreeMap<>();
            for (PersistenceProvider p : ServiceLoader.load(PersistenceProvider.class)) {
                for (String scheme : p.schemes()) {
                    PersistenceProvider other = byScheme.putIfAbsent(scheme, p);
                    if (other != null || scheme.equals(MEMORY)) {
                        throw new IllegalStateException("two persistence backends provide the scheme '" + scheme
                                + "': " + (other == null ? "the engine" : other.getClass().getName()) + " and "
                                + p.getClass().getName() + "; remove one from the module path");
                    }
                }
            }
            return Map.copyOf(byScheme);
        }
    }
}
