package zzq.persistence.sqlite;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import zzq.api.spi.PersistenceException;

/**
 * A parsed {@code sqlite:PATH[?sync=commit|interval[&interval=MS]]} URL.
 *
 * @param text           the URL as given
 * @param path           the store file, absolute (a relative PATH is taken from the working directory)
 * @param sync           the durability level ({@code sync}, default {@link Sync#COMMIT})
 * @param intervalMillis for {@link Sync#INTERVAL}, how often the log is synced to disk ({@code interval}, default
 *                       1000 ms); 0 for {@link Sync#COMMIT}
 */
record SqliteUrl(String text, Path path, Sync sync, long intervalMillis) {
    /** The {@code interval} when none is given. */
    static final long DEFAULT_INTERVAL_MILLIS = 1000;
    /** The largest {@code interval}: an hour of acknowledged messages is already a lot to risk. */
    static final long MAX_INTERVAL_MILLIS = 3_600_000;
    private static final String PREFIX = SqliteProvider.SCHEME + ":";

    /**
     * Parses a URL.
     *
     * @throws PersistenceException for another scheme, no path, or a parameter or value it does not know, named
     */
    static SqliteUrl parse(String url) {
        if (!url.startsWith(PREFIX)) {
            throw new PersistenceException("'" + url + "' is not a sqlite: URL");
        }
        int question = url.indexOf('?');
        String file = url.substring(PREFIX.length(), question < 0 ? url.length() : question);
        if (file.isEmpty()) {
            throw new PersistenceException("'" + url + "' names no file: write sqlite:PATH, such as "
                    + "sqlite:/var/lib/zzq/zzq.db");
        }
        Path path;
        try {
            path = Path.of(file).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new PersistenceException("'" + url + "': '" + file + "' is not a file path: " + e.getReason(), e);
        }
        Map<String, String> params = question < 0 ? Map.of() : params(url, url.substring(question + 1));
        Sync sync = sync(url, params.getOrDefault("sync", Sync.COMMIT.urlValue()));
        String interval = params.get("interval");
        if (interval != null && sync != Sync.INTERVAL) {
            throw new PersistenceException("'" + url + "': interval applies to sync=interval only");
        }
        long millis = sync == Sync.COMMIT ? 0 : interval == null ? DEFAULT_INTERVAL_MILLIS : interval(url, interval);
        return new SqliteUrl(url, path, sync, millis);
    }

    private static Map<String, String> params(String url, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!name.equals("sync") && !name.equals("interval")) {
                throw new PersistenceException("'" + url + "': unknown parameter '" + name + "' (known: sync, "
                        + "interval)");
            }
            if (eq < 0) {
                throw new PersistenceException("'" + url + "': parameter '" + name + "' has no value (write "
                        + name + "=VALUE)");
            }
            if (params.put(name, pair.substring(eq + 1)) != null) {
                throw new PersistenceException("'" + url + "': parameter '" + name + "' is given twice");
            }
        }
        return params;
    }

    private static Sync sync(String url, String value) {
        for (Sync s : Sync.values()) {
            if (s.urlValue().equals(value)) {
                return s;
            }
        }
        throw new PersistenceException("'" + url + "': unknown sync value '" + value + "' (known: commit, "
                + "interval)");
    }

    private static long interval(String url, String value) {
        long millis;
        try {
            millis = Long.parseLong(value);
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1 || millis > MAX_INTERVAL_MILLIS) {
            throw new PersistenceException("'" + url + "': interval '" + value + "' is not a number of "
                    + "milliseconds from 1 to " + MAX_INTERVAL_MILLIS);
        }
        return millis;
    }
}
