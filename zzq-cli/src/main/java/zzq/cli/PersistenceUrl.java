package zzq.cli;

import java.util.Optional;
import zzq.api.spi.Persistence;

/**
 * {@code --persistence URL} and the configuration file's {@code persistence}: which store keeps retained messages
 * and sessions. {@code memory:} (the default; also Mosquitto's {@code persistence false}) keeps them in memory only,
 * so a restart loses them. This build has no durable backend yet: any other value is refused rather than run
 * without the durability it asks for.
 */
final class PersistenceUrl {
    private PersistenceUrl() {
    }

    /** The store a setting names; {@link Persistence#NONE} when not given. */
    static Persistence open(Optional<Setting> setting) throws CommandException {
        if (setting.isEmpty()) {
            return Persistence.NONE;
        }
        Setting s = setting.get();
        String url = s.value();
        if (url.equals("memory:") || (s.line() != null && url.equals("false"))) {
            return Persistence.NONE;
        }
        throw s.error(s.name() + " '" + url + "': this build keeps sessions and retained messages in memory only ("
                + "memory:); there is no durable store for it yet");
    }
}
