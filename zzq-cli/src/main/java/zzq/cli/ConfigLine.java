package zzq.cli;

import java.nio.file.Path;

/**
 * One setting of a configuration file: {@code key value} on line {@code number} of {@code file}.
 *
 * @param file   the file, as it was named
 * @param number the 1-based line number
 * @param key    the setting's name, such as {@code max_keepalive}
 * @param value  the rest of the line, trimmed; never empty
 */
record ConfigLine(Path file, int number, String key, String value) {
    /** Where the line is, as compilers say it: {@code zzq.conf:12}. */
    String where() {
        return file + ":" + number;
    }

    /** A failure (exit 1) that names the file and line: {@code zzq.conf:12: reason}. */
    CommandException error(String reason) {
        return CommandException.failure(where() + ": " + reason);
    }

    /**
     * A file named by this line, relative to the configuration file's folder when it is not absolute, so that a
     * configuration works from any current directory.
     */
    Path path() throws CommandException {
        try {
            Path named = Path.of(value);
            Path folder = file.toAbsolutePath().getParent();
            return named.isAbsolute() || folder == null ? named : folder.resolve(named);
        } catch (java.nio.file.InvalidPathException e) {
            throw error(key + ": '" + value + "' is not a file name: " + e.getReason());
        }
    }
}
