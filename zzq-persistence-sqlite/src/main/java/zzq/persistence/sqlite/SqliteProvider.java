package zzq.persistence.sqlite;

import java.util.Set;
import zzq.api.spi.Persistence;
import zzq.api.spi.PersistenceException;
import zzq.api.spi.PersistenceProvider;

/**
 * The {@code sqlite:} persistence scheme: {@code sqlite:PATH[?sync=commit|interval[&interval=MS]]}, a store in
 * one SQLite file (see {@link SqliteUrl} for the URL, docs/persistence.md for what each setting risks).
 */
public final class SqliteProvider implements PersistenceProvider {
    /** The scheme served. */
    public static final String SCHEME = "sqlite";

    /** The provider, as {@link java.util.ServiceLoader} makes it. */
    public SqliteProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    /**
     * Opens (creating or migrating) the store file, locked for this process until {@link Persistence#close()}.
     *
     * @throws PersistenceException for a bad URL, or a file that is corrupt, locked by another process,
     *                              unwritable, or written by a newer zzq; the message names the file and what to do
     */
    @Override
    public Persistence open(String url) {
        return SqlitePersistence.open(SqliteUrl.parse(url));
    }
}
