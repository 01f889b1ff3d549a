package zzq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a configuration file in Mosquitto's syntax into its {@link ConfigLine}s: one {@code key value} per line,
 * the key and value separated by spaces or tabs, the value running to the end of the line. Blank lines and lines
 * whose first non-blank character is {@code #} are skipped; as in Mosquitto, a {@code #} after a value is part of
 * the value. What the keys mean is {@link BrokerConfig}'s business.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * Reads a file.
     *
     * @throws CommandException a failure naming the file when it cannot be read, or the file and line of a key
     *                          without a value
     */
    static List<ConfigLine> read(Path file) throws CommandException {
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw UnreadableFile.failure("configuration file", file, e);
        }
        return parse(file, text);
    }

    /** Splits the lines of {@code file} into settings. */
    static List<ConfigLine> parse(Path file, List<String> text) throws CommandException {
        List<ConfigLine> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int blank = 0;
            while (blank < line.length() && !Character.isWhitespace(line.charAt(blank))) {
                blank++;
            }
            String key = line.substring(0, blank);
            String value = line.substring(blank).strip();
            if (value.isEmpty()) {
                throw CommandException.failure(file + ":" + (i + 1) + ": " + key + " needs a value");
            }
            lines.add(new ConfigLine(file, i + 1, key, value));
        }
        return lines;
    }
}
