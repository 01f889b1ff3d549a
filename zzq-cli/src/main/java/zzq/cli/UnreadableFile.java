package zzq.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Says, in one line for people, why a file the broker was told to read could not be read. */
final class UnreadableFile {
    private UnreadableFile() {
    }

    /**
     * A failure (exit 1) such as {@code the password file 'x' does not exist}.
     *
     * @param what  what the file is for: {@code password file}
     * @param file  the file as it was named
     * @param cause why reading it failed
     */
    static CommandException failure(String what, Object file, IOException cause) {
        String prefix = "cannot read the " + what + " '" + file + "': ";
        if (cause instanceof NoSuchFileException) {
            return CommandException.failure("the " + what + " '" + file + "' does not exist");
        }
        if (cause instanceof AccessDeniedException) {
            return CommandException.failure(prefix + "permission denied");
        }
        if (cause instanceof FileSystemException) {
            String reason = ((FileSystemException) cause).getReason();
            return CommandException.failure(prefix + (reason != null ? reason : cause.getClass().getSimpleName()));
        }
        if (cause instanceof CharacterCodingException) {
            return CommandException.failure(prefix + "it is not UTF-8 text");
        }
        return CommandException.failure(prefix + cause.getMessage());
    }
}
