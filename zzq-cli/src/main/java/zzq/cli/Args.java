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
 * up to the next flag. An unknown flag, a missing value, a value given to a switch, or a non-repeatable flag
 * given twice is a usage error that names it.
 *
 * <p>Bare arguments are the {@link Operand}s of the commands that declare some ({@code zzq passwd FILE USER}),
 * anywhere among the flags, in order; {@code --} ends the flags, so every argument after it is an operand (a user
 * named {@code -x}). Too few or too many is a usage error naming the missing or extra ones, except with
 * {@code --help}. For a command without operands a bare argument is a usage error.
 */
final class Args {
    private final Map<String, Flag> flags;
    /** Each flag's occurrences, in order, each with its values. */
    private final Map<String, List<List<String>>> given;
    /** Each given operand by name, in order. */
    private final Map<String, String> operands;

    private Args(Map<String, Flag> flags, Map<String, List<List<String>>> given, Map<String, String> operands) {
        this.flags = flags;
        this.given = given;
        this.operands = operands;
    }

    /**
     * Parses arguments against the flags a command accepts, for a command without operands.
     *
     * @throws CommandException a usage error naming the argument at fault
     */
    static Args parse(List<Flag> flags, List<String> args) throws CommandException {
        return parse(flags, List.of(), args);
    }

    /**
     * Parses arguments against the flags and operands a command accepts.
     *
     * @param operands the operands in order, required ones first
     * @throws CommandException a usage error naming the argument at fault
     */
    static Args parse(List<Flag> flags, List<Operand> operands, List<String> args) throws CommandException {
        Operand.checkOrder(operands);
        Map<String, Flag> byName = new LinkedHashMap<>();
        Map<String, Flag> byAlias = new LinkedHashMap<>();
        for (Flag f : flags) {
            byName.put(f.name(), f);
            if (f.shortName() != null) {
                byAlias.put(f.shortName(), f);
            }
        }
        Map<String, List<List<String>>> given = new LinkedHashMap<>();
        List<String> bare = new ArrayList<>();
        boolean flagsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!flagsEnded && arg.equals("--")) {
                flagsEnded = true;
                continue;
            }
            if (flagsEnded || !arg.startsWith("-") || arg.equals("-")) {
                if (operands.isEmpty()) {
                    throw CommandException.usage("unexpected argument '" + arg + "': every setting is a flag"
                            + " (quote a value that holds spaces)");
                }
                bare.add(arg);
                continue;
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
        // --help answers whatever else is given: the operands are not counted then
        return new Args(byName, given, operands(operands, bare, given.containsKey(Flag.HELP.name())));
    }

    /** Names the bare arguments by the operands they fill; too few or too many is a usage error unless lenient. */
    private static Map<String, String> operands(List<Operand> operands, List<String> bare, boolean lenient)
            throws CommandException {
        long required = operands.stream().filter(o -> !o.optional()).count();
        if (lenient) {
            bare = bare.subList(0, Math.min(bare.size(), operands.size()));
        } else if (bare.size() < required) {
            List<String> missing = operands.subList(bare.size(), (int) required).stream().map(Operand::name).toList();
            throw CommandException.usage("missing " + String.join(" and ", missing));
        }
        if (bare.size() > operands.size()) {
            List<String> extra = bare.subList(operands.size(), bare.size());
            throw CommandException.usage("unexpected argument" + (extra.size() > 1 ? "s '" : " '")
                    + String.join("' '", extra) + "' (expected " + Operand.synopsis(operands) + ")");
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < bare.size(); i++) {
            named.put(operands.get(i).name(), bare.get(i));
        }
        return named;
    }

    /** Whether an argument is a flag rather than a value: {@code --anything}, or one of the command's aliases. */
    private static boolean isFlag(String arg, Map<String, Flag> byAlias) {
        return arg.startsWith("--")
                || (arg.length() > 1 && arg.startsWith("-") && byAlias.containsKey(arg.substring(1)));
    }

    /** An operand by its name ({@code FILE}), if given. */
    Optional<String> operand(String name) {
        return Optional.ofNullable(operands.get(name));
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
