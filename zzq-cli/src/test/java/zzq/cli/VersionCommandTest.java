package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import zzq.engine.Broker;

/** {@code zzq version}: the build's version first, then Java, OS and native I/O. */
class VersionCommandTest {
    @Test
    void printsTheProjectVersionAndWhatItRunsOn() throws Exception {
        String expected = System.getProperty("zzq.test.projectVersion");
        assertTrue(expected != null && !expected.isBlank() && !expected.contains("${"),
                "the build passes the project version to the tests: " + expected);
        CliRun run = CliRun.run("", "version");
        assertEquals(0, run.awaitExit(), run.err());
        assertEquals("", run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("zzq " + expected, lines.get(0));
        assertEquals(4, lines.size(), run.out());
        assertTrue(lines.get(1).startsWith("java: " + System.getProperty("java.version") + " ("), lines.get(1));
        assertTrue(lines.get(2).startsWith("os: " + System.getProperty("os.name") + " "), lines.get(2));
        String nativeIo = Broker.whyNoNativeIo().map(why -> "native I/O: no, Java NIO: " + why)
                .orElse("native I/O: epoll");
        assertEquals(nativeIo, lines.get(3));
        assertFalse(run.out().contains("unknown"), run.out());
    }

    @Test
    void nativeIoTurnedOffByThePropertyIsSaid() {
        String before = System.getProperty("zzq.nativeIo");
        System.setProperty("zzq.nativeIo", "false");
        try {
            assertTrue(VersionCommand.report("1.2.3").endsWith(
                    "\nnative I/O: no, Java NIO: turned off by -Dzzq.nativeIo=false\n"),
                    VersionCommand.report("1.2.3"));
        } finally {
            if (before == null) {
                System.clearProperty("zzq.nativeIo");
            } else {
                System.setProperty("zzq.nativeIo", before);
            }
        }
    }

    @Test
    void helpAndUsageErrors() throws Exception {
        for (String help : List.of("--help", "-h")) {
            CliRun run = CliRun.run("", "version", help);
            assertEquals(0, run.awaitExit());
            assertTrue(run.out().startsWith("Usage: zzq version\n"), run.out());
        }
        CliRun extra = CliRun.run("", "version", "now");
        assertEquals(2, extra.awaitExit());
        assertTrue(extra.err().startsWith("zzq version: unexpected argument 'now'"), extra.err());
    }
}
