package zzq.api.spi;

import java.util.Set;

/**
 * Opens {@link Persistence} backends by URL scheme; found with {@link java.util.ServiceLoader}, as transports are. A
 * module that {@code provides zzq.api.spi.PersistenceProvider} adds its schemes ({@code sqlite:PATH},
 * {@code redis://...}) to every broker, with no change to the engine. The engine itself provides {@code memory:}.
 */
public interface PersistenceProvider {
    /** The URL schemes served, without the colon: {@code sqlite}. */
    Set<String> schemes();

    /**
     * Opens (creating or migrating as needed) the store a URL names, ready for {@link Persistence#loadRetained()}.
     *
     * @param url the whole URL, such as {@code sqlite:/var/lib/zzq/zzq.db?sync=interval}
     * @throws PersistenceException for a bad URL, or a store that cannot be used (corrupt, locked, unwritable, newer
     *                              than this backend), with a message that says which and what to do
     */
    Persistence open(String url);
}
