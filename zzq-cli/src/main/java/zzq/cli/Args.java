package zzq.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A command's flags as given: {@code --name value} or {@code --name=value} for flags with a value, {@code --name}
 * for switches, {@code -h} for {@code --help}. An unknown flag, a missing value, a value given to a switch, a
 * non-repeatable flag given twice, or a bare argument is a usage error that names it.
 */
final class Args {
    private final Map<String, List<String>> given;

    private Args(Map<String, List<String>> given) {
        this.given = given;
    }

    /**
     * Parses arguments against the flags a command accepts.
     *
     * @throws CommandException a usage error naming the argument at fault
     */
    static Args parse(List<Flag> flags, List<String> args) throws CommandException {
        Map<String, Flag> byName = new LinkedHashMap<>();
        flags.forEach(f -> byName.put(f.name(), f));
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") && byName.containsKey(Flag.HELP.name())) {
                arg = "--" + Flag.HELP.name();
            }
            if (!arg.startsWith("-")) {
                throw CommandException.usage("unexpected argument '" + arg + "': every setting is a --flag");
            }
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") ? arg.substring(2, eq < 0 ? arg.length() : eq) : null;
            Flag flag = name == null ? null : byName.get(name);
            if (flag == null) {
                throw CommandException.usage("unknown flag " + (eq < 0 ? arg : arg.substring(0, eq)));
            }
            String value;
            if (!flag.takesValue()) {
                if (eq >= 0) {
                    throw CommandException.usage("--" + name + " takes no value, but was given '"
                            + arg.substring(eq + 1) + "'");
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw CommandException.usage("--" + name + " needs a value: " + flag.synopsis());
            }
            List<String> values = given.computeIfAbsent(name, k -> new ArrayList<>());
            if (!values.isEmpty() && !flag.repeatable()) {
                throw CommandException.usage("--" + name + " is given twice");
            }
            values.add(value);
        }
        return new Args(given);
    }

    /** Whether the flag was given. */
    boolean has(String name) {
        return given.containsKey(name);
    }

    /** Every value of a repeatable flag, in order; empty when not given. */
    List<String> values(String name) {
        return List.copyOf(given.getOrDefault(name, List.of()));
    }

    /** The value of a flag, if given. */
    Optional<String> value(String name) {
        return values(name).stream().findFirst();
    }

    /**
     * The whole-number value of a flag, if given. Its range is the caller's to check.
     *
     * @throws CommandException a usage error when the value is not a whole number
     */
    OptionalLong number(String name) throws CommandException {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text.get().trim()));
        } catch (NumberFormatException e) {
            throw CommandException.usage("--" + name + " needs a whole number, not '" + text.get() + "'");
        }
    }
}
