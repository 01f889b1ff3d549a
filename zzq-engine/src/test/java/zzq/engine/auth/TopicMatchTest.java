package zzq.engine.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Proves the ACL matcher's MQTT wildcard semantics: filter vs topic, filter-covers-filter, and the '$' rule. */
class TopicMatchTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/b, a/b, true", "a/b, a/c, false", "a/+, a/b, true", "a/+, a/b/c, false", "a/+, a, false",
        "a/#, a, true", "a/#, a/b/c, true", "#, a/b, true", "+, a, true", "+, a/b, false", "+/+, /a, true",
        "a/+/c, a//c, true", "#, $SYS/x, false", "+/x, $SYS/x, false", "$SYS/#, $SYS/x, true",
        "'a b/#', 'a b/c d', true", "a/b, a/b/, false", "a/b/, a/b/, true", "a/+, a/, true",
    })
    void matches(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicMatch.matches(filter, topic));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "a/#, a/b/+, true", "a/+, a/#, false", "a/#, a/#, true", "a/#, a, true", "a/#, #, false", "#, #, true",
        "#, +/b, true", "+/b, +/b, true", "a/b, +/b, false", "+/+, a/b, true", "+/+, a/#, false",
        "a/+/#, a/#, false", "a/+/#, a/b/#, true", "a/b, a/b, true", "a/b, a/b/c, false", "a/b/c, a/b, false",
        "#, $SYS/#, false", "+/#, $SYS/a, false", "$SYS/#, $SYS/+, true",
    })
    void covers(String acl, String sub, boolean expected) {
        assertEquals(expected, TopicMatch.covers(acl, sub));
    }

    @ParameterizedTest(name = "valid filter {0}: {1}")
    @CsvSource({
        "a/b, true", "#, true", "a/#, true", "a/+/c, true", "a/#/c, false", "a#, false", "a/b+, false",
        "+a, false", "'', false", "/, true",
    })
    void validFilter(String filter, boolean expected) {
        assertEquals(expected, TopicMatch.isValidFilter(filter));
    }
}
