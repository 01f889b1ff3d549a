package zzq.cli;

import java.util.Map;

/** Help text as two aligned columns: a name, then what it means. */
final class HelpTable {
    private HelpTable() {
    }

    /**
     * One row per entry, in the map's order, indented by two spaces; a {@code \n} in a description starts a
     * continuation line under the description column.
     */
    static String of(Map<String, String> rows) {
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        String indent = " ".repeat(2 + width + 2);
        StringBuilder out = new StringBuilder();
        rows.forEach((name, text) -> out.append("  ").append(name).append(" ".repeat(width - name.length() + 2))
                .append(text.replace("\n", "\n" + indent)).append('\n'));
        return out.toString();
    }
}
