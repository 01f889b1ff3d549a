package zzq.cli;

import java.lang.reflect.Method;
import java.util.Optional;

/** The terminal a command asks for a secret on, without echo: the JVM's console, or a test's stand-in. */
interface Terminal {
    /**
     * Shows the prompt and reads one line without echoing it.
     *
     * @return the line without its line break, or {@code null} at the end of input
     */
    char[] readPassword(String prompt);

    /**
     * The process's terminal, when the command reads the JVM's own standard input and that is a terminal; empty
     * otherwise: a pipe, or a test's or caller's own input (which must never reach for the real terminal).
     */
    static Optional<Terminal> of(Console console) {
        java.io.Console system = System.console();
        if (console.in() != System.in || system == null || !isTerminal(system)) {
            return Optional.empty();
        }
        return Optional.of(prompt -> system.readPassword("%s", prompt));
    }

    /**
     * Whether the console is a terminal. Before Java 22 {@link System#console()} is {@code null} unless it is;
     * from Java 22 it may be a console over a pipe, which {@code Console.isTerminal()} (Java 22) tells.
     */
    private static boolean isTerminal(java.io.Console console) {
        Method isTerminal;
        try {
            isTerminal = java.io.Console.class.getMethod("isTerminal");
        } catch (NoSuchMethodException beforeJava22) {
            return true;
        }
        try {
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask the console whether it is a terminal", e);
        }
    }
}
