package zzq.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;
import zzq.codec.wire.PacketWire;
import zzq.codec.wire.VariableByteInteger;

/**
 * Writes packets in a connection's protocol version. Stateless: one pass sizes the packet, a second writes it
 * into a buffer of exactly that size, or appends it to a buffer that batches several packets for one write.
 *
 * <p>MQTT 3.1.1 has no properties and few reason codes, so writing in 3.1.1 leaves out what it cannot say:
 * properties, the reason codes of acknowledgements and of DISCONNECT; a CONNACK refusal folds onto the nearest
 * 3.1.1 return code ({@link ReasonCode#toV3ConnackCode()}) and a SUBACK failure onto 0x80. What would change the
 * meaning of a packet (an AUTH, a PUBLISH whose topic is an alias, 5.0 subscription options) is refused with an
 * {@link IllegalArgumentException}.
 */
public final class MqttEncoder {
    private MqttEncoder() {
    }

    /** The whole packet's size in bytes in this version: fixed header, variable header and payload. */
    public static int encodedLength(MqttPacket packet, MqttVersion version) {
        int remaining = remainingLength(packet, version);
        return 1 + VariableByteInteger.size(remaining) + remaining;
    }

    /** The packet in one newly allocated buffer of exactly its size; the caller owns (releases) the buffer. */
    public static ByteBuf encode(MqttPacket packet, MqttVersion version, ByteBufAllocator alloc) {
        int remaining = remainingLength(packet, version);
        int size = 1 + VariableByteInteger.size(remaining) + remaining;
        ByteBuf out = alloc.buffer(size, size);
        try {
            write(packet, version, remaining, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Appends the packet to {@code out}, which grows as needed: the way to batch many packets into one write. */
    public static void encode(MqttPacket packet, MqttVersion version, ByteBuf out) {
        write(packet, version, remainingLength(packet, version), out);
    }

    /**
     * Appends a PUBLISH's fixed and variable headers but not its payload, so the payload can follow as its own
     * buffer in a gathering write: the zero-copy way to send one message to many subscribers.
     *
     * @return the number of header bytes written
     */
    public static int encodePublishHeader(Publish publish, MqttVersion version, ByteBuf out) {
        int remaining = remainingLength(publish, version);
        int start = out.writerIndex();
        out.writeByte(PacketWire.firstByte(publish));
        VariableByteInteger.write(out, remaining);
        PacketWire.writePublishHeader(publish, version, out);
        return out.writerIndex() - start;
    }

    private static int remainingLength(MqttPacket packet, MqttVersion version) {
        int remaining = PacketWire.remainingLength(packet, version);
        if (remaining > VariableByteInteger.MAX_VALUE) {
            throw new IllegalArgumentException(packet.type() + " of " + remaining
                    + " bytes exceeds the protocol's largest remaining length, 268435455");
        }
        return remaining;
    }

    private static void write(MqttPacket packet, MqttVersion version, int remaining, ByteBuf out) {
        out.writeByte(PacketWire.firstByte(packet));
        VariableByteInteger.write(out, remaining);
        PacketWire.writeBody(packet, version, out);
    }
}
