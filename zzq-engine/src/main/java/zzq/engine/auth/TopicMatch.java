package zzq.engine.auth;

/**
 * MQTT topic-filter matching for the ACL file: whether a filter matches a topic name, and whether one filter covers
 * every topic another filter can match. Implements the '$' rule: a filter whose first level is a wildcard does not
 * match topics that start with '$'.
 */
final class TopicMatch {

    private TopicMatch() {
    }

    /**
     * @param filter a topic filter
     * @return whether {@code filter} is a syntactically valid, non-empty MQTT topic filter
     */
    static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\0') >= 0) {
            return false;
        }
        String[] levels = split(filter);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                if (i != levels.length - 1) {
                    return false;
                }
            } else if (!level.equals("+") && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param topic a topic name
     * @return whether {@code topic} is a valid, non-empty topic name (no wildcards)
     */
    static boolean isValidTopic(String topic) {
        return topic != null && !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0
                && topic.indexOf('\0') < 0;
    }

    /**
     * @param filter a valid topic filter
     * @param topic a valid topic name
     * @return whether {@code filter} matches {@code topic}
     */
    static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = split(filter);
        String[] t = split(topic);
        int i = 0;
        for (; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // also matches the parent level: "a/#" matches "a"
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return i == t.length;
    }

    /**
     * Whether every topic that {@code subscription} can match is also matched by {@code acl}: {@code a/#} covers
     * {@code a/b/+}, but {@code a/+} does not cover {@code a/#}.
     *
     * @param acl a valid topic filter from the ACL
     * @param subscription a valid topic filter a client subscribes to
     * @return whether {@code acl} covers {@code subscription}
     */
    static boolean covers(String acl, String subscription) {
        if (subscription.startsWith("$") && (acl.startsWith("+") || acl.startsWith("#"))) {
            return false;
        }
        String[] a = split(acl);
        String[] s = split(subscription);
        int i = 0;
        for (; i < a.length; i++) {
            if (a[i].equals("#")) {
                return true;
            }
            if (i >= s.length) {
                return false;
            }
            if (s[i].equals("#")) {
                return false; // only an ACL '#' covers a subscription '#'
            }
            if (a[i].equals("+")) {
                continue; // covers a literal level and a subscription '+'
            }
            if (!a[i].equals(s[i])) {
                return false; // includes a subscription '+' against a literal ACL level
            }
        }
        return i == s.length;
    }

    /** Splits on '/', keeping empty levels (unlike {@link String#split(String)} which drops trailing ones). */
    static String[] split(String s) {
        return s.split("/", -1);
    }
}
