package zzq.cli;

/**
 * Sets up slf4j-simple, the command line's logging backend. The library never configures logging; the command
 * line does, in code, so that no configuration file is needed: one short line per event on stderr, with the time,
 * the level and the logger's short name.
 *
 * <p>slf4j-simple reads its settings once, when the first logger is created, so {@link #configure} must run before
 * anything calls {@code LoggerFactory}. A setting already given as a system property ({@code -D...}, for example
 * through {@code JAVA_OPTS}) is left as it is.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    /**
     * Info and above for everything; with {@code verbose}, debug for zzq's own loggers (Netty's debug output is
     * start-up diagnostics that would drown them).
     */
    static void configure(boolean verbose) {
        setDefault("defaultLogLevel", "info");
        if (verbose) {
            setDefault("log.zzq", "debug");
        }
        setDefault("showDateTime", "true");
        setDefault("dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("showThreadName", "false");
        setDefault("showShortLogName", "true");
    }

    /** As {@code configure(false)}, but nothing is logged at all ({@code --quiet}). */
    static void silence() {
        setDefault("defaultLogLevel", "off");
        configure(false);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
