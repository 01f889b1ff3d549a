package zzq.cli;

import java.util.Optional;
import zzq.api.spi.Persistence;
import zzq.api.spi.PersistenceException;
import zzq.engine.PersistenceBackends;

/**
 * {@code --persistence URL} and the configuration file's {@code persistence}: which store keeps retained messages
 * and sessions. {@code memory:} (the default; also Mosquitto's {@code persistence false}) keeps them in memory only,
 * so a restart loses them; {@code sqlite:PATH} keeps them in a SQLite file; any scheme of a backend module on the
 * module path works ({@link PersistenceBackends}).
 */
final class PersistenceUrl {
    private PersistenceUrl() {
    }

    /**
     * Opens the store a setting names; {@link Persistence#NONE} when not given. The caller closes it after the
     * broker.
     *
     * @throws CommandException naming the setting (flag, or file and line) and why the store cannot be opened
     */
    static Persistence open(Optional<Setting> setting) throws CommandException {
        if (setting.isEmpty()) {
            return Persistence.NONE;
        }
        Setting s = setting.get();
        String url = s.value();
        if (s.line() != null && url.equals("false")) {
            return Persistence.NONE;
        }
        if (s.line() != null && url.equals("true")) {
            throw s.error("persistence true needs a place: write persistence sqlite:/var/lib/zzq/zzq.db (a file "
                    + "relative to this configuration file's folder works too)");
        }
        if (s.line() != null && url.startsWith("sqlite:") && !url.startsWith("sqlite:/")) {
            // a relative file in a configuration file is relative to the file's folder, as every other file is
            url = "sqlite:" + s.line().file().toAbsolutePath().getParent().resolve(url.substring("sqlite:".length()));
        }
        try {
            return PersistenceBackends.open(url);
        } catch (PersistenceException e) {
            throw s.line() == null ? CommandException.failure(s.name() + ": " + e.getMessage())
                    : s.error(e.getMessage());
        }
    }
}
