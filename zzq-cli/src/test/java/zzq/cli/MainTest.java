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
            assertTrue(out().contains("\n  pub     "), out());
            assertTrue(out().contains("\n  sub     "), out());
            assertTrue(out().contains("\n  passwd  "), out());
            assertTrue(out().contains("\n  version "), out());
        }
        assertEquals("", err());
    }

    /**
     * Every command answers --help with its usage on stdout, and so does -h except where -h is the host (zzq pub
     * and zzq sub, as in Mosquitto's tools); {@code zzq help COMMAND} prints the same.
     */
    @Test
    void everyCommandAnswersHelp() {
        List<String> hIsTheHost = List.of("pub", "sub", "bench");
        for (String command : Main.commandNames()) {
            List<List<String>> asks = new java.util.ArrayList<>(List.of(List.of(command, "--help"),
                    List.of("help", command)));
            if (!hIsTheHost.contains(command)) {
                asks.add(List.of(command, "-h"));
            }
            String first = null;
            for (List<String> ask : asks) {
                out.reset();
                assertEquals(0, run(ask.toArray(new String[0])), ask + ": " + err());
                assertTrue(out().startsWith("Usage: zzq " + command), ask + ": " + out());
                if (first == null) {
                    first = out();
                }
                assertEquals(first, out(), ask.toString());
            }
        }
        assertEquals("", err());
    }

    @Test
    void helpTakesOneCommand() {
        assertEquals(2, run("help", "publish"));
        assertTrue(err().startsWith("zzq: unknown command 'publish'\nUsage: zzq COMMAND"), err());
        err.reset();
        assertEquals(2, run("help", "pub", "sub"));
        assertTrue(err().startsWith("zzq help: unexpected argument 'sub': zzq help takes one COMMAND\nUsage: zzq"),
                err());
    }

    @Test
    void unknownCommand() {
        assertEquals(2, run("publish"));
        assertTrue(err().startsWith("zzq: unknown command 'publish'\nUsage: zzq COMMAND"), err());
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
    void pubAndSubHelpListEveryFlag() {
        for (Command c : List.of(new PubCommand(), new SubCommand())) {
            out.reset();
            assertEquals(0, run(c.name(), "--help"));
            for (Flag f : c instanceof PubCommand ? PubCommand.FLAGS : SubCommand.FLAGS) {
                assertTrue(out().contains("\n  " + f.synopsis() + "  "), f.synopsis());
            }
            assertTrue(out().contains("Exit status: "), out());
        }
        assertEquals("", err());
    }

    @Test
    void pubAndSubUsageErrors() {
        assertEquals(2, run("pub", "-t", "a"));
        assertTrue(err().startsWith("zzq pub: give the message: -m TEXT, -f FILE, -l, -s or -n\nUsage: zzq pub "),
                err());
        err.reset();
        assertEquals(2, run("sub", "-h"));
        assertTrue(err().startsWith("zzq sub: -h needs a value: -h, --host HOST\nUsage: zzq sub "), err());
    }

    @Test
    void usageErrorNamesTheCommandAndShowsItsUsage() {
        assertEquals(2, run("broker", "--bogus"));
        assertTrue(err().startsWith("zzq broker: unknown flag --bogus\nUsage: zzq broker [-c FILE] [flags]"), err());
    }

    @Test
    void failureShowsOnlyTheMessage() {
        assertEquals(1, run("broker", "--password-file", "/nonexistent/zzq-passwd"));
        assertEquals("zzq broker: the password file '/nonexistent/zzq-passwd' does not exist\n", err());
    }
}
