package zzq.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One broker setting as given, by a {@code zzq broker} flag or a configuration file line, so that a bad value is
 * reported where it was written: a usage error naming the flag (exit 2), or a failure naming the file and line
 * (exit 1).
 *
 * @param name  how the setting was written: {@code --max-keepalive} or {@code max_keepalive}
 * @param value its value
 * @param line  the configuration line it came from, or {@code null} for a flag
 */
record Setting(String name, String value, ConfigLine line) {

    /**
     * A broker setting by its flag name ({@code max-keepalive}): the flag's value when given, else the
     * configuration file's ({@code max_keepalive}), else nothing. Flags win, so one run can change a file's setting.
     */
    static Optional<Setting> find(Args args, BrokerConfig config, String flag) {
        Optional<String> given = args.value(flag);
        if (given.isPresent()) {
            return Optional.of(new Setting("--" + flag, given.get(), null));
        }
        return config == null ? Optional.empty() : config.setting(flag.replace('-', '_')).map(Setting::of);
    }

    /** A configuration line's setting. */
    static Setting of(ConfigLine line) {
        return new Setting(line.key(), line.value(), line);
    }

    /** An error about this setting: where it was written, then the reason. */
    CommandException error(String reason) {
        return line == null ? CommandException.usage(reason) : line.error(reason);
    }

    /** The value as a whole number; its range is the caller's to check. */
    long number() throws CommandException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw error(name + " needs a whole number, not '" + value + "'");
        }
    }

    /** The value as {@code true} or {@code false}. */
    boolean bool() throws CommandException {
        switch (value) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw error(name + " must be true or false, not '" + value + "'");
        }
    }

    /** The value as a file name; a configuration file's relative names are relative to its folder. */
    Path path() throws CommandException {
        if (line != null) {
            return line.path();
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw error(name + ": '" + value + "' is not a file name: " + e.getReason());
        }
    }
}
