package zzq.interop;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttVersion;
import zzq.codec.packet.MqttPacket;

/**
 * A loopback TCP relay to the broker, one client connection at a time, that records both directions, to see what a
 * peer library (client to broker) or the broker (broker to client) put on the wire: as bytes per direction, and as
 * one timeline of whole packets in the order the relay read them. Each packet is recorded before it is passed on, so
 * an acknowledgement in the timeline precedes anything its receiver did after reading it.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromBroker = new ByteArrayOutputStream();
    private final List<Packet> timeline = new ArrayList<>();
    private volatile Socket clientSide;
    private volatile Socket brokerSide;

    /** One whole MQTT packet as it crossed the relay, on its connection (0 for the first). */
    record Packet(int connection, boolean fromClient, byte[] bytes) {
        /** The MQTT control packet type (3 PUBLISH, 4 PUBACK, 12 PINGREQ...). */
        int type() {
            return (bytes[0] & 0xFF) >> 4;
        }

        /** A PUBLISH's QoS. */
        int qos() {
            return (bytes[0] >> 1) & 3;
        }

        /** The packet identifier of a PUBLISH at QoS 1 or 2 or of an acknowledgement; 0 for a QoS 0 PUBLISH. */
        int packetId() {
            int at = 1;
            while ((bytes[at] & 0x80) != 0) {
                at++;
            }
            at++;
            if (type() == 3) {
                if (qos() == 0) {
                    return 0;
                }
                at += 2 + twoBytes(at);
            }
            return twoBytes(at);
        }

        private int twoBytes(int at) {
            return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
        }

        /** The packet decoded; the caller releases a PUBLISH's payload. */
        MqttPacket decode(MqttVersion version) {
            return MqttDecoder.decodeOne(Unpooled.wrappedBuffer(bytes), version);
        }
    }

    /**
     * A relay to the broker at {@code brokerPort}. It takes one connection after another (a client that
     * reconnects comes through again, each time on a new connection to the broker), in the same timeline.
     */
    RecordingRelay(int brokerPort) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            for (int connection = 0; !server.isClosed(); connection++) {
                try (Socket client = server.accept()) {
                    relay(connection, client, brokerPort);
                } catch (IOException | InterruptedException ignored) {
                    // closed, or the broker is away: the client sees its connection end
                }
            }
        }, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void relay(int connection, Socket client, int brokerPort) throws IOException, InterruptedException {
        try (Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort)) {
            clientSide = client;
            brokerSide = broker;
            // the broker's end ends the client's (half-close), as the client's end ends the broker's
            Thread back = pipe(broker.getInputStream(), client.getOutputStream(), fromBroker,
                    new Framer(connection, false), client::shutdownOutput);
            pipe(client.getInputStream(), broker.getOutputStream(), fromClient, new Framer(connection, true),
                    broker::shutdownOutput).join();
            back.join();
        }
    }

    /** Something to do when a direction ends; an error doing it is moot (the socket is gone). */
    private interface Closing {
        void run() throws IOException;
    }

    private static Thread pipe(InputStream in, OutputStream out, ByteArrayOutputStream copy, Framer framer,
                               Closing atEnd) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (copy) {
                        copy.write(buf, 0, n);
                    }
                    framer.add(buf, n);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            }
            try {
                atEnd.run();
            } catch (IOException ignored) {
                // already closed
            }
        }, "relay-pipe");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Cuts out whole packets from one direction's bytes into the shared timeline. */
    private final class Framer {
        private final int connection;
        private final boolean client;
        private byte[] pending = new byte[0];

        Framer(int connection, boolean client) {
            this.connection = connection;
            this.client = client;
        }

        void add(byte[] buf, int n) {
            byte[] all = Arrays.copyOf(pending, pending.length + n);
            System.arraycopy(buf, 0, all, pending.length, n);
            int at = 0;
            while (true) {
                int size = packetSize(all, at);
                if (size < 0 || at + size > all.length) {
                    break;
                }
                synchronized (timeline) {
                    timeline.add(new Packet(connection, client, Arrays.copyOfRange(all, at, at + size)));
                }
                at += size;
            }
            pending = Arrays.copyOfRange(all, at, all.length);
        }

        /** The whole size of the packet at {@code at}, or -1 while its fixed header is incomplete. */
        private int packetSize(byte[] b, int at) {
            int length = 0;
            for (int i = 1; i <= 4; i++) {
                if (at + i >= b.length) {
                    return -1;
                }
                length |= (b[at + i] & 0x7F) << (7 * (i - 1));
                if ((b[at + i] & 0x80) == 0) {
                    return 1 + i + length;
                }
            }
            throw new IllegalStateException("malformed remaining length");
        }
    }

    /** Every whole packet that crossed so far, both directions, in the order the relay read them. */
    List<Packet> timeline() {
        synchronized (timeline) {
            return List.copyOf(timeline);
        }
    }

    /** Breaks the connection at once in both directions (TCP reset): what a network failure looks like. */
    void cut() throws IOException {
        for (Socket s : new Socket[] {clientSide, brokerSide}) {
            if (s != null && !s.isClosed()) {
                try {
                    s.setSoLinger(true, 0);
                } catch (java.net.SocketException closedMeanwhile) {
                    // the relay's pump closed it between the check and here, as the peer went: it is cut already
                    continue;
                }
                s.close();
            }
        }
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
