package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Main#run}: dispatch, help, and how errors become messages and exit codes. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().startsWith("Usage: zzq COMMAND [flags]"), err());
        assertEquals("", out());
    }

    @Test
    void helpListsTheCommandsThatExist() {
        for (String help : List.of("--help", "-h", "help")) {
            out.reset();
            assertEquals(0, run(help));
            assertTrue(out().contains("\n  broker  "), out());
        }
        assertEquals("", err());
    }

    @Test
    void unknownCommand() {
        assertEquals(2, run("pub"));
        assertTrue(err().startsWith("zzq: unknown command 'pub'\nUsage: zzq COMMAND"), err());
    }

    @Test
    void brokerHelpListsEveryFlag() {
        assertEquals(0, run("broker", "--help"));
        for (Flag f : BrokerCommand.FLAGS) {
            assertTrue(out().contains("\n  " + f.synopsis() + "  "), f.synopsis());
        }
        assertTrue(out().contains("default: true without --password-file, false with it"), out());
        assertEquals("", err());
    }

    @Test
    void usageErrorNamesTheCommandAndShowsItsUsage() {
        assertEquals(2, run("broker", "--bogus"));
        assertTrue(err().startsWith("zzq broker: unknown flag --bogus\nUsage: zzq broker [flags]"), err());
    }

    @Test
    void failureShowsOnlyTheMessage() {
        assertEquals(1, run("broker", "--password-file", "/nonexistent/zzq-passwd"));
        assertEquals("zzq broker: the password file '/nonexistent/zzq-passwd' does not exist\n", err());
    }
}
