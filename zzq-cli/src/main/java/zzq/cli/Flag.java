package zzq.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flag a command accepts: {@code --name VALUE} (or {@code --name=VALUE}) when it has a value name, a switch
 * ({@code --name}) when it has none, and optionally a one-letter alias ({@code -t VALUE}), as Mosquitto's tools
 * spell theirs. One declaration serves both the parser and the help text, so the two cannot disagree.
 *
 * @param name       the name without the leading {@code --}
 * @param shortName  the alias without the leading {@code -} (one letter, such as {@code t}), or {@code null}
 * @param valueName  what the value is, as shown in help ({@code URL}, {@code N}), or {@code null} for a switch
 * @param arity      how many arguments follow the flag: 0 for a switch, 1 for a value, {@link #SEVERAL} for every
 *                   argument up to the next flag
 * @param repeatable whether the flag may be given more than once
 * @param help       one line of help; a {@code \n} starts an indented continuation line
 */
record Flag(String name, String shortName, String valueName, int arity, boolean repeatable, String help) {
    /** The arity of a flag that takes every argument up to the next flag (at least one). */
    static final int SEVERAL = -1;

    /** {@code -h} / {@code --help}. */
    static final Flag HELP = new Flag("help", "h", null, 0, false, "print this help and exit");

    /** A flag with a value, given at most once. */
    static Flag value(String name, String valueName, String help) {
        return new Flag(name, null, valueName, 1, false, help);
    }

    /** A flag with a value that may be given several times; each value counts. */
    static Flag repeatable(String name, String valueName, String help) {
        return new Flag(name, null, valueName, 1, true, help);
    }

    /** A switch: a flag without a value. */
    static Flag toggle(String name, String help) {
        return new Flag(name, null, null, 0, false, help);
    }

    /** This flag, also written {@code -letter}. */
    Flag alias(String letter) {
        return new Flag(name, letter, valueName, arity, repeatable, help);
    }

    /** This flag, taking every argument up to the next flag, and repeatable. */
    Flag several() {
        return new Flag(name, shortName, valueName, SEVERAL, true, help);
    }

    boolean takesValue() {
        return arity != 0;
    }

    /** How the flag is named in messages: its alias if it has one ({@code -t}), else {@code --name}. */
    String label() {
        return shortName != null ? "-" + shortName : "--" + name;
    }

    /** How the flag is written: {@code --bind URL}, {@code -h, --help}, {@code -t, --topic TOPIC}. */
    String synopsis() {
        return (shortName != null ? "-" + shortName + ", " : "") + "--" + name
                + (takesValue() ? " " + valueName : "");
    }

    /** The flags as an aligned two-column table, one flag (and its continuation lines) per row. */
    static String table(List<Flag> flags) {
        Map<String, String> rows = new LinkedHashMap<>();
        flags.forEach(f -> rows.put(f.synopsis(), f.help()));
        return HelpTable.of(rows);
    }
}
