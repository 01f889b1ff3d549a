package zzq.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A new password that {@code zzq passwd} was not given on its command line: asked twice on the terminal without
 * echo, as {@code mosquitto_passwd} asks, or, when standard input is not a terminal, its first line, so that
 * scripts can pipe it. Never shown.
 */
final class NewPassword {
    private static final String EMPTY = "the password is empty (set an empty one with -b FILE USER '')";

    private NewPassword() {
    }

    /**
     * Reads the password: from the terminal if there is one, else from standard input.
     *
     * @return its bytes (UTF-8 for a typed one; a piped line's bytes as they are, without the line break)
     * @throws CommandException a failure: no password, an empty one, or two that do not match
     */
    static byte[] read(Optional<Terminal> terminal, InputStream in) throws CommandException {
        return terminal.isPresent() ? fromTerminal(terminal.get()) : fromInput(in);
    }

    private static byte[] fromTerminal(Terminal terminal) throws CommandException {
        char[] first = terminal.readPassword("Password: ");
        char[] second = null;
        try {
            if (first == null) {
                throw CommandException.failure("no password given");
            }
            if (first.length == 0) {
                throw CommandException.failure(EMPTY);
            }
            second = terminal.readPassword("Reenter password: ");
            if (second == null || !Arrays.equals(first, second)) {
                throw CommandException.failure("passwords do not match");
            }
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(first));
            byte[] password = new byte[bytes.remaining()];
            bytes.get(password);
            return password;
        } finally {
            // a password should not outlive its use in memory longer than it must
            wipe(first);
            wipe(second);
        }
    }

    private static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    /** The first line of standard input, read byte by byte so that nothing after it is consumed. */
    private static byte[] fromInput(InputStream in) throws CommandException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        try {
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
        } catch (IOException e) {
            throw CommandException.failure("cannot read the password from standard input: " + e.getMessage());
        }
        byte[] password = line.toByteArray();
        if (b == -1 && password.length == 0) {
            throw CommandException.failure("no password on standard input (it is not a terminal, so its first line"
                    + " is the password)");
        }
        if (password.length > 0 && password[password.length - 1] == '\r') {
            password = Arrays.copyOf(password, password.length - 1);
        }
        if (password.length == 0) {
            throw CommandException.failure(EMPTY);
        }
        return password;
    }
}
