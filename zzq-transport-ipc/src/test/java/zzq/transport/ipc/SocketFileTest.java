package zzq.transport.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.api.spi.TransportOptions;
import zzq.codec.MqttVersion;
import zzq.engine.Broker;

/**
 * The socket file's life: a stale one is replaced, a live one or any other file is refused and left alone, the
 * file goes when the listener closes, and the permission option is applied; on epoll and on NIO alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "native={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a socket file nobody listens on (a dead broker's) is removed at bind, and the bind succeeds")
    void staleSocketIsReplaced(boolean nativeIo) throws Exception {
        Path file = IpcTests.staleSocket(dir.resolve("stale.sock"));
        assertTrue(Files.exists(file, LinkOption.NOFOLLOW_LINKS), "the stale socket file is there");
        try (Broker broker = IpcTests.broker(nativeIo)) {
            broker.bind("ipc://" + file);
            IpcTests.roundTrip("ipc://" + file, nativeIo, MqttVersion.V5);
        }
    }

    @ParameterizedTest(name = "native={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a regular file at the path is refused with a clear error and left as it was")
    void regularFileIsRefused(boolean nativeIo) throws Exception {
        Path file = Files.writeString(dir.resolve("precious.txt"), "keep me");
        try (Broker broker = IpcTests.broker(nativeIo)) {
            String why = IpcTests.bindFailure(broker, "ipc://" + file, TransportOptions.NONE);
            assertTrue(why.contains("is not a socket (a regular file); refusing to delete it"), why);
            assertTrue(why.contains(file.toString()), why);
        }
        assertEquals("keep me", Files.readString(file), "the file is untouched");
    }

    @Test
    @DisplayName("a directory at the path is refused too")
    void directoryIsRefused() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        try (Broker broker = IpcTests.broker(true)) {
            String why = IpcTests.bindFailure(broker, "ipc://" + sub, TransportOptions.NONE);
            assertTrue(why.contains("(a directory)"), why);
        }
        assertTrue(Files.isDirectory(sub));
    }

    @ParameterizedTest(name = "native={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("a socket a listener accepts on is 'address in use', and that listener keeps its file")
    void liveSocketIsInUse(boolean nativeIo) throws Exception {
        Path file = dir.resolve("live.sock");
        try (Broker first = IpcTests.broker(true); Broker second = IpcTests.broker(nativeIo)) {
            first.bind("ipc://" + file);
            String why = IpcTests.bindFailure(second, "ipc://" + file, TransportOptions.NONE);
            assertTrue(why.contains("address in use"), why);
            IpcTests.roundTrip("ipc://" + file, nativeIo, MqttVersion.V5); // still the first broker's
        }
    }

    @ParameterizedTest(name = "native={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("the socket file is removed when the listener closes")
    void fileRemovedAtClose(boolean nativeIo) throws Exception {
        Path file = dir.resolve("gone.sock");
        Broker broker = IpcTests.broker(nativeIo);
        try {
            broker.bind("ipc://" + file);
            assertTrue(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
        } finally {
            broker.close();
        }
        assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS), "no socket file after close");
    }

    @ParameterizedTest(name = "native={0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("ipc.permissions is applied to the socket file after the bind, in rwx or octal form")
    void permissionsApplied(boolean nativeIo) throws Exception {
        Path a = dir.resolve("a.sock");
        Path b = dir.resolve("b.sock");
        try (Broker broker = IpcTests.broker(nativeIo)) {
            broker.bind("ipc://" + a, TransportOptions.NONE.with(IpcOptions.PERMISSIONS, "rw-rw----"));
            broker.bind("ipc://" + b, TransportOptions.NONE.with(IpcOptions.PERMISSIONS, "600"));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(a,
                    LinkOption.NOFOLLOW_LINKS)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b,
                    LinkOption.NOFOLLOW_LINKS)));
            IpcTests.roundTrip("ipc://" + a, nativeIo, MqttVersion.V5);
        }
    }

    @Test
    @DisplayName("a malformed ipc.permissions is an IllegalArgumentException naming the value; nothing is bound")
    void badPermissions() {
        Path file = dir.resolve("bad.sock");
        try (Broker broker = IpcTests.broker(true)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> broker.bind(
                    "ipc://" + file, TransportOptions.NONE.with(IpcOptions.PERMISSIONS, "rw-rw-rwz")));
            assertTrue(e.getMessage().contains("'rw-rw-rwz'"), e.getMessage());
        }
        assertFalse(Files.exists(file, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    @DisplayName("the octal and the rwx forms of ipc.permissions agree")
    void octalPermissions() {
        assertEquals(PosixFilePermissions.fromString("rwxr-x--x"), IpcOptions.permissions("0751"));
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), IpcOptions.permissions("660"));
        assertEquals(PosixFilePermissions.fromString("---------"), IpcOptions.permissions("000"));
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.permissions("0800"));
    }
}
