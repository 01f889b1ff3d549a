package zzq.cli;

/**
 * Why a command stopped early, and with which exit code: 2 for a usage error (the command's usage follows the
 * message), 1 for a failure at run time (a file that cannot be read, an address that cannot be bound), or a
 * command's own code ({@code zzq sub}'s 27 for a timeout, a refused connection's CONNACK code).
 */
final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The exit code of a usage error: a bad flag or value. */
    static final int USAGE = 2;
    /** The exit code of a failure: the flags were right but the work could not be done. */
    static final int FAILURE = 1;

    private final int exitCode;

    private CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A usage error: the message names the flag or value at fault. */
    static CommandException usage(String message) {
        return new CommandException(USAGE, message);
    }

    /** A run-time failure: the message names the file or address at fault. */
    static CommandException failure(String message) {
        return new CommandException(FAILURE, message);
    }

    /**
     * An end with this exit code (not {@link #USAGE}) and message; a {@code null} message prints nothing (a
     * command run with {@code --quiet}).
     */
    static CommandException exit(int exitCode, String message) {
        if (exitCode == USAGE || exitCode == 0) {
            throw new IllegalArgumentException("not a failure's exit code: " + exitCode);
        }
        return new CommandException(exitCode, message);
    }

    int exitCode() {
        return exitCode;
    }

    /** Whether the command's usage should follow the message. */
    boolean isUsageError() {
        return exitCode == USAGE;
    }
}
