package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.engine.BrokerOptions;

/** {@code mosquitto_sub} reads the broker's {@code $SYS} tree. */
class SysTopicInteropTest extends BrokerFixture {

    @Override
    BrokerOptions options() {
        return BrokerOptions.builder().sysInterval(Duration.ofSeconds(1)).build();
    }

    @Test
    @DisplayName("$SYS/broker/version names zzq; mosquitto_sub -C 1 ends after it")
    void versionIsPublished() throws Exception {
        try (Mosquitto.Sub sub = Mosquitto.sub(port, "-t", "$SYS/broker/version", "-C", "1", "-W", "14")) {
            Mosquitto.Received r = sub.next();
            assertEquals("$SYS/broker/version", r.topic());
            assertTrue(r.text().startsWith("zzq "), r.text());
            assertEquals(0, sub.awaitExit(), sub.output());
        }
    }

    @Test
    @DisplayName("a '#' subscription does not match $SYS topics (MQTT-4.7.2-1)")
    void hashDoesNotMatchSys() throws Exception {
        try (Mosquitto.Sub all = Mosquitto.sub(port, "-t", "#");
             Mosquitto.Sub sys = Mosquitto.sub(port, "-t", "$SYS/#")) {
            sys.next(); // the $SYS tree is being published
            Mosquitto.pubOk(port, "-t", "plain", "-m", "p");
            assertEquals("plain", all.next().topic(), "'#' saw no $SYS message before this one");
        }
    }
}
