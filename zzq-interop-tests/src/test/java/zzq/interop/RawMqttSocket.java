package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;

/**
 * A bare TCP socket that speaks just enough MQTT (encoded by {@link MqttEncoder}) to connect, and can then leave
 * either with DISCONNECT or abruptly — what a crashed client looks like to the broker.
 */
final class RawMqttSocket implements AutoCloseable {
    private final Socket socket;
    private final MqttVersion version;

    private RawMqttSocket(Socket socket, MqttVersion version) {
        this.socket = socket;
        this.version = version;
    }

    /** Connects, sends the CONNECT and waits for a successful CONNACK. */
    static RawMqttSocket connect(int port, Connect connect) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) (BrokerFixture.WAIT_SECONDS * 1000));
        RawMqttSocket raw = new RawMqttSocket(s, connect.version());
        raw.send(connect);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int type = in.readUnsignedByte();
        assertEquals(0x20, type, "CONNACK expected");
        int length = in.readUnsignedByte(); // CONNACKs here stay below 128 bytes
        byte[] rest = new byte[length];
        in.readFully(rest);
        assertEquals(0, rest[1], "CONNACK reason code");
        return raw;
    }

    void send(MqttPacket packet) throws IOException {
        ByteBuf buf = MqttEncoder.encode(packet, version, UnpooledByteBufAllocator.DEFAULT);
        try {
            socket.getOutputStream().write(ByteBufUtil.getBytes(buf));
            socket.getOutputStream().flush();
        } finally {
            buf.release();
        }
    }

    /** Sends DISCONNECT (normal) and closes. */
    void disconnect() throws IOException {
        send(Disconnect.NORMAL);
        socket.close();
    }

    /** Resets the connection without DISCONNECT. */
    void kill() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
