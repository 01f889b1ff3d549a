package zzq.transport.ipc;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import zzq.api.spi.TransportOption;

/** The options of the {@code ipc://} transport. */
public final class IpcOptions {
    /**
     * The permissions of a listener's socket file, set right after the bind: {@code "rw-rw----"} (as
     * {@link PosixFilePermissions#fromString} reads it) or octal {@code "660"}. Connecting to a Unix socket takes
     * write permission on its file, so this says who may connect. Without it the file gets the process's umask.
     * Not for abstract sockets ({@code ipc://@name}), which have no file.
     */
    public static final TransportOption<String> PERMISSIONS = new TransportOption<>("ipc.permissions", String.class);

    private IpcOptions() {
    }

    /**
     * Reads a {@link #PERMISSIONS} value.
     *
     * @throws IllegalArgumentException naming the value when it is neither {@code rwxrwxrwx} form nor octal
     */
    public static Set<PosixFilePermission> permissions(String value) {
        String v = value.trim();
        if (v.matches("0?[0-7]{3}")) {
            int mode = Integer.parseInt(v, 8);
            StringBuilder s = new StringBuilder(9);
            for (int bit = 8; bit >= 0; bit--) {
                s.append((mode & (1 << bit)) == 0 ? '-' : "rwx".charAt((8 - bit) % 3));
            }
            v = s.toString();
        }
        try {
            return PosixFilePermissions.fromString(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ipc.permissions must look like rw-rw---- or 660, not '" + value
                    + "'", e);
        }
    }
}
