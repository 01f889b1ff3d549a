package zzq.transport.ws;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A byte-level WebSocket peer over a plain socket, for tests: writes the HTTP upgrade request or any frame (masked
 * or not, fragmented, of any opcode) exactly as told, and reads what comes back without interpreting it.
 */
final class RawWs implements AutoCloseable {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** The GUID of RFC 6455 4.2.2 that turns a key into its accept value. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TIMEOUT_MILLIS = 10_000;

    /** One frame as read. */
    record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        /** The status code of a close frame, or -1 when it has none. */
        int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** An HTTP response head (and body, when it has a length). */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int maskSeed = 0x1234_5678;

    private RawWs(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawWs connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        return new RawWs(s);
    }

    /** Accepted by a test's own server socket. */
    static RawWs accepted(Socket s) throws IOException {
        return new RawWs(s);
    }

    /** An upgrade request's headers, without the Sec-WebSocket-Key (added by {@link #request}). */
    static Map<String, String> upgradeHeaders(String subprotocols) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1");
        h.put("Upgrade", "websocket");
        h.put("Connection", "Upgrade");
        h.put("Sec-WebSocket-Version", "13");
        if (subprotocols != null) {
            h.put("Sec-WebSocket-Protocol", subprotocols);
        }
        return h;
    }

    /** Sends a request (with a fresh key when it upgrades) and reads the response. */
    Response request(String method, String target, Map<String, String> headers) throws IOException {
        StringBuilder r = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        headers.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
        if (headers.containsKey("Upgrade")) {
            r.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        }
        r.append("\r\n");
        out.write(r.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Response response = readResponse();
        if (response.status() == 101 && !acceptOf(key).equals(response.header("Sec-WebSocket-Accept"))) {
            throw new IOException("wrong Sec-WebSocket-Accept: " + response);
        }
        return response;
    }

    /** Upgrades on {@code path} asking for {@code mqtt}; fails unless the answer is 101. */
    Response upgrade(String path) throws IOException {
        Response r = request("GET", path, upgradeHeaders("mqtt"));
        if (r.status() != 101) {
            throw new IOException("not upgraded: " + r);
        }
        return r;
    }

    /** The Sec-WebSocket-Accept value for a key (RFC 6455 4.2.2). */
    static String acceptOf(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    Response readResponse() throws IOException {
        String status = readLine();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + status);
        }
        Map<String, String> headers = readHeaders();
        String body = "";
        String length = headers.get("content-length");
        if (length != null) {
            body = new String(readExactly(Integer.parseInt(length.trim())), StandardCharsets.UTF_8);
        }
        return new Response(Integer.parseInt(parts[1]), headers, body);
    }

    /** Reads a request head as a server: the request line under the key {@code ""}, then the headers. */
    Map<String, String> readRequest() throws IOException {
        String line = readLine();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("", line);
        headers.putAll(readHeaders());
        return headers;
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    void writeRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("closed in the middle of an HTTP head: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one masked frame, as a client must. */
    void send(boolean fin, int opcode, byte[] payload) throws IOException {
        send(fin, opcode, payload, true);
    }

    /** Sends one frame. */
    void send(boolean fin, int opcode, byte[] payload, boolean masked) throws IOException {
        out.write(frame(fin, opcode, payload, masked ? nextMask() : null));
        out.flush();
    }

    /** Sends several frames in one write (one TCP segment, as far as the test can tell). */
    void sendAll(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** A masked frame's bytes. */
    byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, opcode, payload, nextMask());
    }

    private byte[] nextMask() {
        maskSeed = maskSeed * 1_103_515_245 + 12_345;
        return new byte[] {(byte) (maskSeed >> 24), (byte) (maskSeed >> 16), (byte) (maskSeed >> 8), (byte) maskSeed};
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] mask) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        int maskBit = mask == null ? 0 : 0x80;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >> shift));
            }
        }
        if (mask == null) {
            f.writeBytes(payload);
        } else {
            f.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
        }
        return f.toByteArray();
    }

    /** A close frame's payload: the code, then the reason. */
    static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + text.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(text, 0, p, 2, text.length);
        return p;
    }

    /** Reads the next frame (unmasking it if masked). */
    Frame read() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] mask = (b1 & 0x80) != 0 ? readExactly(4) : null;
        byte[] payload = readExactly((int) length);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, mask != null, payload);
    }

    /** Reads frames until one of {@code opcode}, skipping others; fails on EOF. */
    Frame readUntil(int opcode) throws IOException {
        for (Frame f = read(); ; f = read()) {
            if (f.opcode() == opcode) {
                return f;
            }
        }
    }

    /** Waits for the peer to close TCP, discarding what comes before; fails if it does not within the timeout. */
    void awaitEof() throws IOException {
        try {
            while (in.read() >= 0) {
                // draining
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the peer did not close the connection within " + TIMEOUT_MILLIS + " ms", e);
        } catch (IOException reset) {
            // reset by the peer: closed as well
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("closed by the peer");
        }
        return b;
    }

    byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("closed before " + n + " bytes came");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
