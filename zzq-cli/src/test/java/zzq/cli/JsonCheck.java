package zzq.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict little JSON reader for tests (RFC 8259's grammar; no extensions): objects become maps in order, arrays
 * lists, whole numbers {@link Long}s, other numbers {@link Double}s. Anything malformed, or text after the value
 * (whitespace aside), throws {@link IllegalArgumentException} with its position.
 */
final class JsonCheck {
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final String text;
    private int at;

    private JsonCheck(String text) {
        this.text = text;
    }

    /** The one JSON value the text holds. */
    static Object parse(String text) {
        JsonCheck reader = new JsonCheck(text);
        Object value = reader.value();
        reader.space();
        if (reader.at != text.length()) {
            throw reader.error("text after the value");
        }
        return value;
    }

    /** The one JSON object the text holds. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object: " + text);
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw error("a value is missing");
        }
        char c = text.charAt(at);
        if (c == '{') {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            if (!skip('}')) {
                do {
                    space();
                    String key = string();
                    expect(':');
                    if (map.put(key, value()) != null) {
                        throw error("duplicate key " + key);
                    }
                } while (skip(','));
                expect('}');
            }
            return map;
        }
        if (c == '[') {
            List<Object> list = new ArrayList<>();
            at++;
            if (!skip(']')) {
                do {
                    list.add(value());
                } while (skip(','));
                expect(']');
            }
            return list;
        }
        if (c == '"') {
            return string();
        }
        for (String word : List.of("true", "false", "null")) {
            if (text.startsWith(word, at)) {
                at += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        return number();
    }

    private Object number() {
        int start = at;
        Matcher m = NUMBER.matcher(text).region(at, text.length());
        if (!m.lookingAt()) {
            throw error("not a value");
        }
        at = m.end();
        String n = text.substring(start, at);
        return m.group(2) == null && m.group(3) == null ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
    }

    private String string() {
        if (at >= text.length() || text.charAt(at) != '"') {
            throw error("a string must start with '\"'");
        }
        StringBuilder out = new StringBuilder();
        for (at++; at < text.length(); at++) {
            char c = text.charAt(at);
            if (c == '"') {
                at++;
                return out.toString();
            }
            if (c < 0x20) {
                throw error("a control character in a string");
            }
            if (c == '\\') {
                char e = text.charAt(++at);
                int i = "\"\\/bfnrt".indexOf(e);
                if (i >= 0) {
                    out.append("\"\\/\b\f\n\r\t".charAt(i));
                } else if (e == 'u') {
                    out.append((char) Integer.parseInt(text.substring(at + 1, at + 5), 16));
                    at += 4;
                } else {
                    throw error("a bad escape");
                }
            } else {
                out.append(c);
            }
        }
        throw error("an unterminated string");
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private boolean skip(char c) {
        space();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!skip(c)) {
            throw error("'" + c + "' expected");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + at + " in: " + text);
    }
}
