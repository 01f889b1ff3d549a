package zzq.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flag a command accepts: {@code --name VALUE} (or {@code --name=VALUE}) when it has a value name, a switch
 * ({@code --name}) when it has none. One declaration serves both the parser and the help text, so the two cannot
 * disagree.
 *
 * @param name       the name without the leading {@code --}
 * @param valueName  what the value is, as shown in help ({@code URL}, {@code N}), or {@code null} for a switch
 * @param repeatable whether the flag may be given more than once
 * @param help       one line of help; a {@code \n} starts an indented continuation line
 */
record Flag(String name, String valueName, boolean repeatable, String help) {
    /** {@code -h} / {@code --help}: every command has it. */
    static final Flag HELP = new Flag("help", null, false, "print this help and exit");

    /** A flag with a value, given at most once. */
    static Flag value(String name, String valueName, String help) {
        return new Flag(name, valueName, false, help);
    }

    /** A flag with a value that may be given several times; each value counts. */
    static Flag repeatable(String name, String valueName, String help) {
        return new Flag(name, valueName, true, help);
    }

    /** A switch: a flag without a value. */
    static Flag toggle(String name, String help) {
        return new Flag(name, null, false, help);
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** How the flag is written: {@code --bind URL}, {@code -h, --help}. */
    String synopsis() {
        return (equals(HELP) ? "-h, " : "") + "--" + name + (takesValue() ? " " + valueName : "");
    }

    /** The flags as an aligned two-column table, one flag (and its continuation lines) per row. */
    static String table(List<Flag> flags) {
        Map<String, String> rows = new LinkedHashMap<>();
        flags.forEach(f -> rows.put(f.synopsis(), f.help()));
        return HelpTable.of(rows);
    }
}
