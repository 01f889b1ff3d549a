package zzq.codec;

import static zzq.codec.MalformedPacketException.malformed;

import zzq.codec.wire.Utf8;

/**
 * The syntax of topic names, topic filters and shared subscriptions (MQTT 5.0 sections 4.7 and 4.8.2).
 *
 * <p>Rule numbers are MQTT 5.0's; MQTT 3.1.1 states the same rules. Breaking them is a malformed packet.
 */
public final class Topics {
    /** The prefix of a shared subscription's filter: {@code $share/{ShareName}/{filter}}. */
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {
    }

    /**
     * Checks a topic name as a PUBLISH or a will carries it: a non-empty MQTT string without wildcards.
     *
     * @throws MalformedPacketException naming the rule it breaks
     */
    public static void checkName(String topic) {
        Utf8.check(topic, "topic name");
        if (topic.isEmpty()) {
            throw malformed("MQTT-4.7.3-1", "a topic name must be at least one character long");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                // 0x90 Topic Name invalid: the topic is well-formed UTF-8, just not a name (5.0 section 3.3.2.1)
                throw new MalformedPacketException(ReasonCode.TOPIC_NAME_INVALID, "MQTT-3.3.2-2",
                        "topic name '" + topic + "' must not contain the wildcard '" + c + "'");
            }
        }
    }

    /**
     * Checks a topic filter as SUBSCRIBE and UNSUBSCRIBE carry it, shared subscriptions included.
     *
     * @throws MalformedPacketException naming the rule it breaks
     */
    public static void checkFilter(String filter) {
        Utf8.check(filter, "topic filter");
        if (filter.isEmpty()) {
            throw malformed("MQTT-4.7.3-1", "a topic filter must be at least one character long");
        }
        if (isShared(filter)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            String shareName = slash < 0 ? filter.substring(SHARE_PREFIX.length())
                    : filter.substring(SHARE_PREFIX.length(), slash);
            if (shareName.isEmpty()) {
                throw malformed("MQTT-4.8.2-1", "shared subscription '" + filter + "' has an empty ShareName");
            }
            if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
                throw malformed("MQTT-4.8.2-2", "ShareName '" + shareName + "' must not contain '+' or '#'");
            }
            if (slash < 0 || slash == filter.length() - 1) {
                throw malformed("MQTT-4.8.2-2",
                        "shared subscription '" + filter + "' must have a topic filter after the ShareName");
            }
            checkWildcards(filter, slash + 1);
        } else {
            checkWildcards(filter, 0);
        }
    }

    /** Whether {@code topic} is a valid topic name; {@link #checkName} says why not. */
    public static boolean isValidName(String topic) {
        try {
            checkName(topic);
            return true;
        } catch (MalformedPacketException | NullPointerException e) {
            return false;
        }
    }

    /** Whether {@code filter} is a valid topic filter; {@link #checkFilter} says why not. */
    public static boolean isValidFilter(String filter) {
        try {
            checkFilter(filter);
            return true;
        } catch (MalformedPacketException | NullPointerException e) {
            return false;
        }
    }

    /**
     * Whether a valid topic filter matches a valid topic name (MQTT 5.0 section 4.7): levels split on '/', an empty
     * level is a level, '+' matches exactly one level, '#' matches its parent level and any number of child levels,
     * and a filter that starts with a wildcard does not match a topic that starts with '$' (MQTT-4.7.2-1).
     * Allocates nothing.
     */
    public static boolean matches(String filter, String topic) {
        return walk(filter, topic, false);
    }

    /**
     * Whether every topic that filter {@code inner} can match is also matched by filter {@code outer}: {@code a/#}
     * covers {@code a/b/+}; {@code a/+} does not cover {@code a/#}; only a '#' covers a '#'. Allocates nothing.
     */
    public static boolean covers(String outer, String inner) {
        return walk(outer, inner, true);
    }

    /** Walks filter and topic (or inner filter) level by level, without splitting either. */
    private static boolean walk(String filter, String other, boolean otherIsFilter) {
        if (startsWithWildcard(filter) && other.startsWith("$")) {
            return false;
        }
        int f = 0;
        int o = 0;
        int fn = filter.length();
        int on = other.length();
        boolean otherDone = false;
        while (true) {
            int fEnd = levelEnd(filter, f);
            if (fEnd - f == 1 && filter.charAt(f) == '#') {
                return true;
            }
            if (otherDone) {
                return false;
            }
            int oEnd = levelEnd(other, o);
            boolean plus = fEnd - f == 1 && filter.charAt(f) == '+';
            if (otherIsFilter && oEnd - o == 1 && other.charAt(o) == '#') {
                return false; // only a '#' covers a '#'
            }
            if (!plus && (fEnd - f != oEnd - o || !filter.regionMatches(f, other, o, fEnd - f))) {
                return false; // a literal level; against an inner '+' it never matches
            }
            boolean filterLast = fEnd == fn;
            boolean otherLast = oEnd == on;
            if (filterLast) {
                return otherLast;
            }
            f = fEnd + 1;
            o = oEnd + 1;
            otherDone = otherLast;
        }
    }

    private static boolean startsWithWildcard(String filter) {
        return !filter.isEmpty() && (filter.charAt(0) == '+' || filter.charAt(0) == '#');
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    /** Whether a (syntactically checked) filter names a shared subscription. */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    private static void checkWildcards(String filter, int from) {
        int n = filter.length();
        for (int i = from; i < n; i++) {
            char c = filter.charAt(i);
            if (c == '#') {
                if (i != n - 1 || (i > from && filter.charAt(i - 1) != '/')) {
                    throw malformed("MQTT-4.7.1-1",
                            "'#' must be last in topic filter '" + filter + "' and occupy a whole level");
                }
            } else if (c == '+') {
                boolean startsLevel = i == from || filter.charAt(i - 1) == '/';
                boolean endsLevel = i == n - 1 || filter.charAt(i + 1) == '/';
                if (!startsLevel || !endsLevel) {
                    throw malformed("MQTT-4.7.1-2", "'+' must occupy a whole level of topic filter '" + filter + "'");
                }
            }
        }
    }
}
