package zzq.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code zzq} command: {@code zzq COMMAND [flags]}. Dispatches to the command, and turns its errors into a
 * message on stderr and an exit code: 2 for a usage error (followed by the usage), 1 for a failure, or the
 * command's own code.
 */
public final class Main {
    private static final List<Command> COMMANDS = List.of(new BrokerCommand(), new PubCommand(), new SubCommand(),
            new BenchCommand(), new PasswdCommand(), new VersionCommand());

    private Main() {
    }

    /** Runs {@code zzq} and exits with its exit code. */
    public static void main(String[] args) {
        // An explicit exit: no stray non-daemon thread may keep a finished command alive.
        System.exit(run(Arrays.asList(args), System.in, System.out, System.err));
    }

    /** Runs {@code zzq} with these arguments and an empty standard input; returns the exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err);
    }

    /** Runs {@code zzq} with these arguments and streams; returns the exit code. */
    static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(usage());
            return CommandException.USAGE;
        }
        String name = args.get(0);
        if (name.equals("help") && args.size() > 1) {
            return help(args.subList(1, args.size()), in, out, err);
        }
        if (name.equals("-h") || name.equals("--help") || name.equals("help")) {
            out.print(usage());
            return 0;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("zzq: unknown " + (name.startsWith("-") ? "flag " : "command ") + "'" + name + "'");
            err.print(usage());
            return CommandException.USAGE;
        }
        try {
            return command.run(args.subList(1, args.size()), new Console(in, out, err));
        } catch (CommandException e) {
            if (e.getMessage() != null) {
                err.println("zzq " + command.name() + ": " + e.getMessage());
            }
            if (e.isUsageError()) {
                err.print(command.usage());
            }
            return e.exitCode();
        }
    }

    /** The names of the commands, in help order. */
    static List<String> commandNames() {
        return COMMANDS.stream().map(Command::name).toList();
    }

    /** {@code zzq help COMMAND}: the same as {@code zzq COMMAND --help}. */
    private static int help(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        if (args.size() > 1) {
            err.println("zzq help: unexpected argument '" + args.get(1) + "': zzq help takes one COMMAND");
            err.print(usage());
            return CommandException.USAGE;
        }
        return run(List.of(args.get(0), "--help"), in, out, err);
    }

    /** The top-level help: the commands that exist. */
    static String usage() {
        Map<String, String> rows = new LinkedHashMap<>();
        COMMANDS.forEach(c -> rows.put(c.name(), c.summary()));
        return "Usage: zzq COMMAND [flags]\n\nCommands:\n" + HelpTable.of(rows)
                + "\nRun 'zzq COMMAND --help' or 'zzq help COMMAND' for a command's flags.\n";
    }
}
