package zzq.cli;

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
     * @param args    the arguments after the command's name
     * @param console its streams: help and results go to {@code out}, messages for people to {@code err}
     * @return the exit code
     * @throws CommandException a usage error or a failure, with its message and exit code
     */
    int run(List<String> args, Console console) throws CommandException;

    /**
     * Prints {@code usage} when the arguments ask for {@code --help}; the command then ends with exit code 0.
     *
     * @return whether help was asked for (and printed)
     */
    static boolean printedHelp(Args parsed, Console console, String usage) {
        if (!parsed.has(Flag.HELP.name())) {
            return false;
        }
        console.out().print(usage);
        return true;
    }
}
