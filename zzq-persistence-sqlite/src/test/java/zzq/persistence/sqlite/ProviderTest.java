package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import zzq.api.spi.Persistence;
import zzq.api.spi.PersistenceException;
import zzq.codec.QoS;
import zzq.codec.property.Properties;
import zzq.engine.PersistenceBackends;

/** The module as a plugin: the engine finds the sqlite: scheme on the module path and opens stores with it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProviderTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("PersistenceBackends knows sqlite: and opens a durable store that keeps what it is given")
    void foundByScheme() throws Exception {
        assertTrue(PersistenceBackends.schemes().contains("sqlite"), PersistenceBackends.schemes().toString());
        String url = "sqlite:" + dir.resolve("zzq.db") + "?sync=interval&interval=100";
        try (Persistence store = PersistenceBackends.open(url)) {
            assertTrue(store.durable());
            assertEquals(url, store.toString());
            store.retain(Stores.message("t", QoS.AT_LEAST_ONCE, true, Properties.EMPTY, "p", 0));
            Stores.awaitDurable(store);
        }
        try (Persistence store = PersistenceBackends.open("sqlite:" + dir.resolve("zzq.db"))) {
            assertEquals(List.of("t"), store.loadRetained().stream().map(m -> m.topic()).toList());
        }
    }

    @Test
    @DisplayName("a bad sqlite: URL through the engine is the provider's message")
    void badUrl() {
        PersistenceException e = assertThrows(PersistenceException.class,
                () -> PersistenceBackends.open("sqlite:" + dir.resolve("zzq.db") + "?sync=sometimes"));
        assertTrue(e.getMessage().contains("unknown sync value 'sometimes'"), e.getMessage());
    }
}
