package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Topic matching as MQTT defines it: filter vs topic, filter-covers-filter, and the '$' rule (MQTT-4.7.2-1). */
class TopicsMatchTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "a/b, a/b, true", "a/b, a/c, false", "a/+, a/b, true", "a/+, a/b/c, false", "a/+, a, false",
        "a/#, a, true", "a/#, a/b/c, true", "#, a/b, true", "+, a, true", "+, a/b, false", "+/+, /a, true",
        "a/+/c, a//c, true", "#, $SYS/x, false", "+/x, $SYS/x, false", "$SYS/#, $SYS/x, true",
        "'a b/#', 'a b/c d', true", "a/b, a/b/, false", "a/b/, a/b/, true", "a/+, a/, true",
        "sport/tennis/player1/#, sport/tennis/player1, true", "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
        "sport/#, sport, true", "/+, /finance, true", "+, /finance, false", "+/#, /a, true", "a/b/c, a/b, false",
    })
    void matches(String filter, String topic, boolean expected) {
        assertEquals(expected, Topics.matches(filter, topic));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "a/#, a/b/+, true", "a/+, a/#, false", "a/#, a/#, true", "a/#, a, true", "a/#, #, false", "#, #, true",
        "#, +/b, true", "+/b, +/b, true", "a/b, +/b, false", "+/+, a/b, true", "+/+, a/#, false",
        "a/+/#, a/#, false", "a/+/#, a/b/#, true", "a/b, a/b, true", "a/b, a/b/c, false", "a/b/c, a/b, false",
        "#, $SYS/#, false", "+/#, $SYS/a, false", "$SYS/#, $SYS/+, true",
    })
    void covers(String acl, String sub, boolean expected) {
        assertEquals(expected, Topics.covers(acl, sub));
    }

    @ParameterizedTest(name = "valid filter {0}: {1}")
    @CsvSource({
        "a/b, true", "#, true", "a/#, true", "a/+/c, true", "a/#/c, false", "a#, false", "a/b+, false",
        "+a, false", "'', false", "/, true", "$share/g/a/#, true", "$share//a, false",
    })
    void validFilter(String filter, boolean expected) {
        assertEquals(expected, Topics.isValidFilter(filter));
    }
}
