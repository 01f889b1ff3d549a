package zzq.engine.auth;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A password or ACL file that cannot be used as written; the message names the file and the 1-based line number.
 */
public final class AuthFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /**
     * Creates the exception.
     *
     * @param file the file being read
     * @param line the 1-based line number of the refused line
     * @param reason what is wrong with the line
     */
    public AuthFileException(Path file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** @return the file being read */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number of the refused line */
    public int line() {
        return line;
    }
}
