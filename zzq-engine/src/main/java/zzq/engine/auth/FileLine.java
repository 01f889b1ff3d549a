package zzq.engine.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * One significant line of a Mosquitto-style text file: stripped of surrounding blanks, with its 1-based number for
 * error messages. Blank lines and {@code #} comments are not significant.
 *
 * @param number the line's number in the file, from 1
 * @param text   the line without leading and trailing blanks
 */
record FileLine(int number, String text) {
    /** The significant lines of a file, in order. */
    static List<FileLine> significant(List<String> lines) {
        List<FileLine> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                out.add(new FileLine(i + 1, text));
            }
        }
        return out;
    }
}
