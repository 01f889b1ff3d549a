package zzq.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A command's flags as given: {@code --name value} or {@code --name=value} for flags with a value, {@code --name}
 * for switches, and {@code -x value} / {@code -x} for a flag's one-letter alias (never {@code -x=value}, as in
 * Mosquitto's tools). A value is the next argument unless that is a flag: it starts with {@code --} or is one of
 * the command's aliases, so {@code -m -5} publishes "-5". A flag that takes several values takes every argument
 * up to the next flag. An unknown flag, a missing value, a value given to a switch, a non-repeatable flag given
 * twice, or a bare argument is a usage error that names it.
 */
final class Args {
    private final Map<String, Flag> flags;
    /** Each flag's occurrences, in order, each with its values. */
    private final Map<String, List<List<String>>> given;

    private Args(Map<String, Flag> flags, Map<String, List<List<String>>> given) {
        this.flags = flags;
        this.given = given;
    }

    /**
     * Parses arguments against the flags a command accepts.
     *
     * @throws CommandException a usage error naming the argument at fault
     */
    static Args parse(List<Flag> flags, List<String> args) throws CommandException {
        Map<String, Flag> byName = new LinkedHashMap<>();
        Map<String, Flag> byAlias = new LinkedHashMap<>();
        for (Flag f : flags) {
            byName.put(f.name(), f);
            if (f.shortName() != null) {
                byAlias.put(f.shortName(), f);
            }
        }
        Map<String, List<List<String>>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw CommandException.usage("unexpected argument '" + arg + "': every setting is a flag"
                        + " (quote a value that holds spaces)");
            }
            boolean isLong = arg.startsWith("--");
            int eq = isLong ? arg.indexOf('=') : -1;
            String written = eq < 0 ? arg : arg.substring(0, eq);
            Flag flag = isLong ? byName.get(written.substring(2)) : byAlias.get(arg.substring(1));
            if (flag == null) {
                throw CommandException.usage("unknown flag " + written);
            }
            List<String> values = new ArrayList<>();
            if (!flag.takesValue()) {
                if (eq >= 0) {
                    throw CommandException.usage(written + " takes no value, but was given '"
                            + arg.substring(eq + 1) + "'");
                }
            } else if (eq >= 0) {
                values.add(arg.substring(eq + 1));
            } else {
                int wanted = flag.arity() == Flag.SEVERAL ? Integer.MAX_VALUE : flag.arity();
                while (values.size() < wanted && i + 1 < args.size() && !isFlag(args.get(i + 1), byAlias)) {
                    values.add(args.get(++i));
                }
                if (values.isEmpty() || (flag.arity() != Flag.SEVERAL && values.size() < flag.arity())) {
                    throw CommandException.usage(written + " needs a value: " + flag.synopsis());
                }
            }
            List<List<String>> occurrences = given.computeIfAbsent(flag.name(), k -> new ArrayList<>());
            if (!occurrences.isEmpty() && !flag.repeatable()) {
                throw CommandException.usage(written + " is given twice");
            }
            occurrences.add(List.copyOf(values));
        }
        return new Args(byName, given);
    }

    /** Whether an argument is a flag rather than a value: {@code --anything}, or one of the command's aliases. */
    private static boolean isFlag(String arg, Map<String, Flag> byAlias) {
        return arg.startsWith("--")
                || (arg.length() > 1 && arg.startsWith("-") && byAlias.containsKey(arg.substring(1)));
    }

    /** Whether the flag was given. */
    boolean has(String name) {
        return given.containsKey(name);
    }

    /** The first value of every occurrence of a flag, in order; empty when not given. */
    List<String> values(String name) {
        return occurrences(name).stream().map(values -> values.isEmpty() ? "" : values.get(0)).toList();
    }

    /** Every occurrence of a flag with all its values, in order; empty when not given. */
    List<List<String>> occurrences(String name) {
        return List.copyOf(given.getOrDefault(name, List.of()));
    }

    /** The value of a flag, if given. */
    Optional<String> value(String name) {
        return values(name).stream().findFirst();
    }

    /** How a flag is named in messages: {@code -q} for a flag with an alias, else {@code --name}. */
    String label(String name) {
        Flag flag = flags.get(name);
        return flag != null ? flag.label() : "--" + name;
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
            throw CommandException.usage(label(name) + " needs a whole number, not '" + text.get() + "'");
        }
    }
}
