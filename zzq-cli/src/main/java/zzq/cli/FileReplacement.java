package zzq.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Writes a text file all at once: into a temporary file in the same directory, flushed to disk, then renamed over
 * the file, so that a reader (a broker reloading it) sees the old file or the new one, never half of one. The file
 * keeps its permissions, owner and group (a broker's user may read it through its group); a new one is readable and
 * writable by its owner only, as a file of secrets should be.
 */
final class FileReplacement {
    /** The permissions of a new file: 0600. */
    static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-------");

    private FileReplacement() {
    }

    /**
     * Replaces (or creates) a file with these lines, each ended by {@code \n}, in UTF-8. A symbolic link is
     * followed: the file it names is replaced.
     *
     * @throws IOException the file cannot be written; it is then as it was
     */
    static void write(Path file, List<String> lines) throws IOException {
        boolean exists = Files.exists(file);
        Path target = exists ? file.toRealPath() : file.toAbsolutePath();
        boolean posix = Files.getFileAttributeView(target.getParent(), PosixFileAttributeView.class) != null;
        // null where there is nothing to keep: a new file, or a file system without POSIX attributes (Windows)
        PosixFileAttributes old = posix && exists
                ? Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS) : null;
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text(lines).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            if (old != null) {
                keepOwnerAndGroup(temp, old, target);
            }
            if (posix) {
                // after the owner: changing it may clear permission bits
                Files.setPosixFilePermissions(temp, old != null ? old.permissions() : NEW_FILE);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Gives the new file the old one's owner and group, where they differ (as root, or a member of the group). */
    private static void keepOwnerAndGroup(Path temp, PosixFileAttributes old, Path target) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.group().equals(old.group())) {
                view.setGroup(old.group());
            }
            if (!now.owner().equals(old.owner())) {
                view.setOwner(old.owner());
            }
        } catch (FileSystemException e) {
            throw new FileSystemException(target.toString(), null, "cannot keep its owner " + old.owner().getName()
                    + " and group " + old.group().getName() + " (" + e.getReason() + ")");
        }
    }

    private static String text(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
