package zzq.cli;

import java.io.PrintStream;
import java.util.List;

/** A subcommand of {@code zzq}, such as {@code broker}. */
interface Command {
    /** The name it is called by: {@code zzq NAME ...}. */
    String name();

    /** One line for {@code zzq --help}. */
    String summary();

    /** The full help: synopsis, what it does, every flag. */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command's name
     * @param out  where help and results go (logs go to stderr)
     * @return the exit code
     * @throws CommandException a usage error or a failure, with its message and exit code
     */
    int run(List<String> args, PrintStream out) throws CommandException;
}
