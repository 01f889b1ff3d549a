package zzq.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Payloads that would show any mangling: every byte value. */
final class Payloads {
    private static Path file;

    private Payloads() {
    }

    /** Bytes 0..255, twice, then a UTF-8 snowman. */
    static byte[] allBytes() {
        byte[] b = new byte[512 + 3];
        for (int i = 0; i < 512; i++) {
            b[i] = (byte) i;
        }
        b[512] = (byte) 0xE2;
        b[513] = (byte) 0x98;
        b[514] = (byte) 0x83;
        return b;
    }

    /** {@link #allBytes()} in a file, for {@code mosquitto_pub -f}. */
    static synchronized Path allBytesFile() {
        if (file == null) {
            try {
                file = Files.createTempFile("zzq-payload", ".bin");
                file.toFile().deleteOnExit();
                Files.write(file, allBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
