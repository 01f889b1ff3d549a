package zzq.persistence.sqlite;

import java.util.Locale;

/**
 * How durable a commit is before the broker's acknowledgements for it go out: the {@code sync} URL parameter.
 * Both keep SQLite's write-ahead log (WAL) journal.
 */
enum Sync {
    /**
     * {@code sync=commit}, the default: {@code synchronous=FULL}, the log is synced to disk at every group commit,
     * before its {@code whenDurable} actions run. Nothing acknowledged is lost, even on power failure.
     */
    COMMIT("FULL"),
    /**
     * {@code sync=interval}: {@code synchronous=NORMAL}, commits reach the operating system's page cache and a
     * checkpoint syncs them every interval. A process crash or kill -9 loses nothing acknowledged; a power failure
     * or OS crash can lose up to about one interval of it. Much faster.
     */
    INTERVAL("NORMAL");

    /** The value of SQLite's {@code PRAGMA synchronous}. */
    final String synchronous;

    Sync(String synchronous) {
        this.synchronous = synchronous;
    }

    /** The spelling in the URL. */
    String urlValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
