package zzq.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP relay for one connection to the broker that records both directions, to see what a peer library
 * (client to broker) or the broker (broker to client) put on the wire.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromBroker = new ByteArrayOutputStream();

    RecordingRelay(int brokerPort) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try (Socket client = server.accept();
                 Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort)) {
                Thread back = pipe(broker.getInputStream(), client.getOutputStream(), fromBroker);
                pipe(client.getInputStream(), broker.getOutputStream(), fromClient).join();
                broker.shutdownOutput();
                back.join();
            } catch (IOException | InterruptedException ignored) {
                // closed
            }
        }, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static Thread pipe(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (copy) {
                        copy.write(buf, 0, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            }
        }, "relay-pipe");
        t.setDaemon(true);
        t.start();
        return t;
    }

    int port() {
        return server.getLocalPort();
    }

    /** How often {@code text} (as UTF-8) occurs in what the client sent so far. */
    int occurrencesFromClient(String text) {
        return occurrences(fromClient, text);
    }

    /** How often {@code text} (as UTF-8) occurs in what the broker sent to the client so far. */
    int occurrencesFromBroker(String text) {
        return occurrences(fromBroker, text);
    }

    private static int occurrences(ByteArrayOutputStream recorded, String text) {
        byte[] all;
        synchronized (recorded) {
            all = recorded.toByteArray();
        }
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int count = 0;
        outer:
        for (int i = 0; i + needle.length <= all.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (all[i + j] != needle[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
