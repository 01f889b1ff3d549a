/**
 * A durable broker store in one SQLite file: provides the {@code sqlite:PATH} persistence scheme
 * ({@code sqlite:/var/lib/zzq/zzq.db}, {@code sqlite:zzq.db?sync=interval&interval=500}).
 *
 * <p>One writer thread per store records the broker's changes in group commits; {@code sync=commit} (the default)
 * syncs every commit to disk before the broker acknowledges anything in it, {@code sync=interval} syncs on a
 * timer and survives process crashes but not power loss. The file's schema is versioned and migrated forward at
 * open; a file that is corrupt, locked by another process, unwritable or newer than this module is refused at
 * open with a message that says what to do. docs/persistence.md has the details.
 */
module zzq.persistence.sqlite {
    requires zzq.api;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;

    provides zzq.api.spi.PersistenceProvider with zzq.persistence.sqlite.SqliteProvider;
}
