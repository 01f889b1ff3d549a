package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.api.spi.PersistenceException;

/** The sqlite: URL: path, sync levels and their defaults, and errors that name what is wrong. */
class SqliteUrlTest {
    @Test
    @DisplayName("sqlite:PATH: sync=commit by default; a relative path is taken from the working directory")
    void defaults() {
        SqliteUrl url = SqliteUrl.parse("sqlite:/var/lib/zzq/zzq.db");
        assertEquals(Path.of("/var/lib/zzq/zzq.db"), url.path());
        assertEquals(Sync.COMMIT, url.sync());
        assertEquals(0, url.intervalMillis());
        assertEquals(Path.of("data/zzq.db").toAbsolutePath(), SqliteUrl.parse("sqlite:data/zzq.db").path());
    }

    @Test
    @DisplayName("sync=interval takes interval=MS, 1000 by default; sync=commit may be written out")
    void syncLevels() {
        assertEquals(Sync.COMMIT, SqliteUrl.parse("sqlite:/z.db?sync=commit").sync());
        SqliteUrl interval = SqliteUrl.parse("sqlite:/z.db?sync=interval");
        assertEquals(Sync.INTERVAL, interval.sync());
        assertEquals(1000, interval.intervalMillis());
        assertEquals(250, SqliteUrl.parse("sqlite:/z.db?interval=250&sync=interval").intervalMillis());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sqlite:|names no file",
        "sqlite:?sync=commit|names no file",
        "sqlite:/z.db?fsync=always|unknown parameter 'fsync' (known: sync, interval)",
        "sqlite:/z.db?sync=always|unknown sync value 'always' (known: commit, interval)",
        "sqlite:/z.db?sync|parameter 'sync' has no value",
        "sqlite:/z.db?sync=commit&sync=interval|parameter 'sync' is given twice",
        "sqlite:/z.db?interval=100|interval applies to sync=interval only",
        "sqlite:/z.db?sync=interval&interval=0|interval '0' is not a number of milliseconds from 1 to 3600000",
        "sqlite:/z.db?sync=interval&interval=1s|interval '1s' is not a number of milliseconds",
        "sqlite:/z.db?sync=commit&|unknown parameter ''",
        "memory:|is not a sqlite: URL",
    })
    @DisplayName("a bad URL is refused, naming the parameter or value")
    void refused(String url, String message) {
        PersistenceException e = assertThrows(PersistenceException.class, () -> SqliteUrl.parse(url));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("'" + url + "'"), e.getMessage());
    }
}
