package zzq.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real Mosquitto broker ({@code /usr/sbin/mosquitto}, the Debian/Ubuntu package {@code mosquitto}) run by a
 * test, for the zzq client to talk to. It runs with a generated configuration in a temporary directory (which
 * also holds its persistence file), listens on a free loopback port, and can be stopped (SIGTERM: Mosquitto saves
 * its persistence on the way out), killed (SIGKILL: it saves nothing) and restarted on the same port and data.
 *
 * <p>Register it per test with {@code @RegisterExtension final MosquittoBroker mosquitto = new MosquittoBroker();}
 * and {@link #start(Config)} it in the test: it is always killed and its directory deleted after the test, and a
 * failing test gets Mosquitto's log attached. A missing binary fails the test (never skips it): CI installs the
 * package.
 */
final class MosquittoBroker extends BrokerProcess {
    static final String BINARY = "/usr/sbin/mosquitto";
    /** The line Mosquitto logs once its listeners accept: "mosquitto version 2.0.11 running". */
    private static final Pattern RUNNING = Pattern.compile(
            ": mosquitto version \\S+ running$");

    private Config config;

    /** The configuration: Mosquitto's own {@code key value} lines. Listener, user and logging are added. */
    static final class Config {
        private final List<String> lines = new ArrayList<>();
        private boolean persistence;

        private Config() {
            lines.add("allow_anonymous true");
        }

        /** Adds a line {@code key value} (the latest of one key wins in Mosquitto). */
        Config set(String key, Object value) {
            lines.add(key + " " + value);
            return this;
        }

        /**
         * Persistence on, in the broker's directory: written at every stop (SIGTERM) and, with
         * {@code autosave_on_changes}, after that many changes; {@code autosaveChanges} 0 leaves only the stops
         * and a once-an-hour timer.
         */
        Config persistence(int autosaveChanges) {
            persistence = true;
            if (autosaveChanges > 0) {
                set("autosave_on_changes", "true").set("autosave_interval", autosaveChanges);
            } else {
                set("autosave_interval", 3600);
            }
            return this;
        }

        private String render(Path dir, int port) {
            List<String> all = new ArrayList<>(lines);
            // as root, Mosquitto would switch to the 'mosquitto' user, which cannot write the test's directory;
            // as anyone else, this line has no effect
            all.add(0, "user " + System.getProperty("user.name"));
            all.add(1, "listener " + port + " 127.0.0.1");
            all.add("log_dest stderr"); // unbuffered, unlike stdout into a pipe
            all.add("log_timestamp_format %H:%M:%S");
            if (persistence) {
                all.add("persistence true");
                all.add("persistence_location " + dir + "/");
                all.add("persistence_file mosquitto.db");
            }
            return String.join("\n", all) + "\n";
        }
    }

    /** The default configuration: anonymous clients allowed, no persistence. */
    static Config config() {
        return new Config();
    }

    /** Starts Mosquitto with the default configuration. */
    MosquittoBroker start() {
        return start(config());
    }

    /**
     * Starts Mosquitto with {@code c} on a free loopback port and returns once it accepts connections. A port
     * taken meanwhile by someone else is replaced by another.
     */
    MosquittoBroker start(Config c) {
        config = c;
        launchOnFreePort();
        return this;
    }

    @Override
    String name() {
        return "mosquitto";
    }

    @Override
    List<String> command(Path dir, int port) throws IOException {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, config.render(dir, port));
        return List.of(BINARY, "-c", conf.toString());
    }

    @Override
    Pattern running() {
        return RUNNING;
    }

    @Override
    void checkInstalled() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            fail(BINARY + " is missing: install the apt package mosquitto (CI does)");
        }
    }
}
