package zzq.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bare argument a command takes besides its flags, such as {@code zzq passwd}'s {@code FILE}: given in order,
 * the required ones first. One declaration serves the parser, the messages and the help text.
 *
 * @param name     what it is, in capitals as shown in help ({@code FILE})
 * @param optional whether it may be left out (then so may every operand after it)
 * @param help     one line of help; a {@code \n} starts an indented continuation line
 */
record Operand(String name, boolean optional, String help) {
    /** An operand that must be given. */
    static Operand required(String name, String help) {
        return new Operand(name, false, help);
    }

    /** An operand that may be left out. */
    static Operand optional(String name, String help) {
        return new Operand(name, true, help);
    }

    /**
     * The operands as a synopsis shows them: {@code FILE [USER [PASSWORD]]}, each optional one in brackets that
     * also hold the ones after it.
     */
    static String synopsis(List<Operand> operands) {
        StringBuilder out = new StringBuilder();
        int open = 0;
        for (Operand o : operands) {
            if (out.length() > 0) {
                out.append(' ');
            }
            if (o.optional()) {
                out.append('[');
                open++;
            }
            out.append(o.name());
        }
        return out.append("]".repeat(open)).toString();
    }

    /** The operands as an aligned two-column table, as {@link Flag#table} shows flags. */
    static String table(List<Operand> operands) {
        Map<String, String> rows = new LinkedHashMap<>();
        operands.forEach(o -> rows.put(o.name(), o.help()));
        return HelpTable.of(rows);
    }

    /** Checks that no required operand follows an optional one: the parser fills them in order. */
    static List<Operand> checkOrder(List<Operand> operands) {
        boolean optionalSeen = false;
        for (Operand o : operands) {
            if (optionalSeen && !o.optional()) {
                throw new IllegalArgumentException("required operand " + o.name() + " after an optional one");
            }
            optionalSeen |= o.optional();
        }
        return List.copyOf(operands);
    }
}
