package zzq.engine.broker.topic;

/** Test helper: the matching rules of MQTT 5.0 section 4.7, written as directly as possible, level by level. */
final class ReferenceMatcher {
    private ReferenceMatcher() {
    }

    /** Whether a non-shared filter matches a topic name. */
    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // the levels before matched, so the topic has at least i levels: '#' takes the rest
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
