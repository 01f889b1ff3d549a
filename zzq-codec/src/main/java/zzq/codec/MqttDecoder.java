package zzq.codec;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;
import zzq.codec.packet.Connect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.wire.FixedHeader;
import zzq.codec.wire.PacketWire;
import zzq.codec.wire.VariableByteInteger;

/**
 * Frames and decodes the packets of one connection out of reads of any size: a packet split over many reads,
 * many packets in one read, or both.
 *
 * <p>Memory is bounded by design. The Maximum Packet Size is checked as soon as a fixed header is complete,
 * before any of the body is buffered; complete packets are decoded straight from the read that carries them;
 * only the one packet that straddles two reads is copied aside, and its buffer grows with the bytes that
 * actually arrive, never to the size a header merely claims.
 *
 * <p>A server-side decoder starts without a version and takes it from the connection's CONNECT, which must come
 * first; a client-side decoder is given the version its CONNECT asked for. Decoded PUBLISH payloads are retained
 * slices of the input: the consumer owns each packet and releases it once.
 *
 * <p>After a {@link MalformedPacketException} the stream cannot be resynchronised, so the decoder refuses
 * further input; the connection is to be closed. One decoder serves one connection from one thread.
 */
public final class MqttDecoder implements AutoCloseable {
    /** The largest packet the protocol can express: 1 + 4 + 268 435 455 bytes. */
    public static final int PROTOCOL_MAXIMUM_PACKET_SIZE = 1 + 4 + VariableByteInteger.MAX_VALUE;

    private static final int HEADER_INCOMPLETE = -1;

    private final int maximumPacketSize;
    private MqttVersion version;
    /** The version a server-side decoder's CONNECT named, even one that failed to decode; see requestedVersion. */
    private MqttVersion requestedVersion;
    /** The bytes of the one packet that straddles reads, or null. */
    private ByteBuf partial;
    /** The whole size of that packet, or HEADER_INCOMPLETE while its fixed header is still arriving. */
    private int partialSize;
    private boolean failed;
    private boolean closed;

    private MqttDecoder(MqttVersion version, int maximumPacketSize) {
        if (maximumPacketSize < 2 || maximumPacketSize > PROTOCOL_MAXIMUM_PACKET_SIZE) {
            throw new IllegalArgumentException("maximum packet size must be 2 to " + PROTOCOL_MAXIMUM_PACKET_SIZE
                    + " bytes, not " + maximumPacketSize);
        }
        this.version = version;
        this.maximumPacketSize = maximumPacketSize;
    }

    /** A decoder for the server end of a connection: the first packet must be CONNECT, which sets the version. */
    public static MqttDecoder forServer(int maximumPacketSize) {
        return new MqttDecoder(null, maximumPacketSize);
    }

    /** A decoder for the client end of a connection whose CONNECT asked for {@code version}. */
    public static MqttDecoder forClient(MqttVersion version, int maximumPacketSize) {
        if (version == null) {
            throw new NullPointerException("version");
        }
        return new MqttDecoder(version, maximumPacketSize);
    }

    /** The connection's version, or {@code null} while a server-side decoder waits for CONNECT. */
    public MqttVersion version() {
        return version;
    }

    /**
     * The version that the CONNECT named by its protocol name and level, known as soon as those are read even if
     * the rest of the CONNECT is malformed (so a server can answer in that version's CONNACK); {@code null} before,
     * or when the name and level are no known version.
     */
    public MqttVersion requestedVersion() {
        return version != null ? version : requestedVersion;
    }

    /** The largest packet this decoder accepts, in bytes, fixed header included. */
    public int maximumPacketSize() {
        return maximumPacketSize;
    }

    /** Bytes held back for a packet that has not fully arrived. */
    public int bufferedBytes() {
        return partial == null ? 0 : partial.readableBytes();
    }

    /**
     * Decodes every packet that the bytes so far complete and hands each to {@code out}, in order.
     *
     * <p>Reads all readable bytes of {@code in}; the caller still owns {@code in} and releases it as usual.
     *
     * <p>{@code out} may {@link #close()} the decoder; decoding then stops. If {@code out} throws, the exception
     * propagates and the decoder is failed, since the rest of the read was not framed.
     *
     * @throws MalformedPacketException for a packet that breaks the specification; the decoder is then failed
     * @throws IllegalStateException after a failure or {@link #close()}
     */
    public void decode(ByteBuf in, Consumer<? super MqttPacket> out) {
        if (failed || closed) {
            throw new IllegalStateException(closed ? "decoder is closed" : "decoder failed on an earlier packet");
        }
        try {
            if (partial != null) {
                if (!fillPartial(in)) {
                    return;
                }
                MqttPacket packet;
                try {
                    packet = decodeFrame(partial);
                } finally {
                    partial.release();
                    partial = null;
                }
                out.accept(packet);
            }
            // The consumer may close the decoder (on DISCONNECT, say): then nothing more is decoded or held back.
            while (!closed && in.isReadable()) {
                int size = frameSize(in, in.readerIndex(), in.writerIndex());
                if (size == HEADER_INCOMPLETE || in.readableBytes() < size) {
                    holdBack(in, size);
                    return;
                }
                out.accept(decodeFrame(in));
            }
        } catch (RuntimeException e) {
            // A malformed packet, or a consumer that threw: the rest of this read was not framed, so the stream
            // cannot continue in step.
            failed = true;
            releasePartial();
            throw e;
        }
    }

    /** Releases any held-back bytes. Idempotent. */
    @Override
    public void close() {
        closed = true;
        releasePartial();
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    /**
     * The whole size of the packet whose fixed header starts at {@code index}, or HEADER_INCOMPLETE; checks the
     * first byte and the Maximum Packet Size as soon as they are known.
     */
    private int frameSize(ByteBuf buf, int index, int limit) {
        FixedHeader.check(buf.getUnsignedByte(index), version);
        long vbi = VariableByteInteger.peek(buf, index + 1, limit, "remaining length");
        if (vbi == VariableByteInteger.INCOMPLETE) {
            return HEADER_INCOMPLETE;
        }
        long size = 1L + (vbi >>> 32) + (int) vbi;
        if (size > maximumPacketSize) {
            throw new MalformedPacketException(ReasonCode.PACKET_TOO_LARGE, "3.1.2.11.4",
                    "a packet of " + size + " bytes exceeds the Maximum Packet Size of " + maximumPacketSize);
        }
        return (int) size;
    }

    /** Copies the unfinished packet at the end of {@code in} aside. */
    private void holdBack(ByteBuf in, int size) {
        int readable = in.readableBytes();
        partial = size == HEADER_INCOMPLETE
                ? in.alloc().buffer(FixedHeader.MAX_LENGTH, FixedHeader.MAX_LENGTH)
                : packetBuffer(in, readable, size);
        partial.writeBytes(in, readable);
        partialSize = size;
    }

    /**
     * A buffer for a packet of {@code size} bytes of which {@code have} have arrived. It starts small and grows
     * with the bytes that arrive, since a header may claim far more than the peer ever sends, and it can never
     * grow past the packet.
     */
    private static ByteBuf packetBuffer(ByteBuf like, int have, int size) {
        return like.alloc().buffer(Math.min(size, Math.max(256, have * 2)), size);
    }

    /** Moves bytes from {@code in} into the held-back packet; true once it is whole. */
    private boolean fillPartial(ByteBuf in) {
        while (partialSize == HEADER_INCOMPLETE) {
            if (!in.isReadable()) {
                return false;
            }
            // The header is at most five bytes: take them one at a time so no byte of the next packet is taken.
            partial.writeByte(in.readByte());
            partialSize = frameSize(partial, partial.readerIndex(), partial.writerIndex());
            if (partialSize != HEADER_INCOMPLETE) {
                ByteBuf header = partial;
                partial = packetBuffer(header, header.readableBytes() + in.readableBytes(), partialSize);
                partial.writeBytes(header);
                header.release();
            }
        }
        int missing = partialSize - partial.readableBytes();
        partial.writeBytes(in, Math.min(missing, in.readableBytes()));
        return partial.readableBytes() == partialSize;
    }

    /** Decodes the whole packet at the reader index of {@code buf} and moves past it. */
    private MqttPacket decodeFrame(ByteBuf buf) {
        int firstByte = buf.readUnsignedByte();
        int remaining = VariableByteInteger.read(buf, "remaining length");
        // Bound the buffer at the packet's end instead of slicing it: no slice object per packet, and the payload
        // is sliced from the root buffer (a recycled pooled slice on an event loop).
        int writerIndex = buf.writerIndex();
        buf.writerIndex(buf.readerIndex() + remaining);
        if (version == null && firstByte >>> 4 == PacketType.CONNECT.value()) {
            requestedVersion = peekConnectVersion(buf);
        }
        MqttPacket packet;
        try {
            packet = PacketWire.read(firstByte, buf, version);
        } finally {
            buf.writerIndex(writerIndex);
        }
        if (version == null) {
            version = ((Connect) packet).version();
        }
        return packet;
    }

    /** The version a CONNECT body names by its protocol name and level, or null; reads no index. */
    private static MqttVersion peekConnectVersion(ByteBuf body) {
        int at = body.readerIndex();
        if (body.writerIndex() - at < 2) {
            return null;
        }
        int nameLength = body.getUnsignedShort(at);
        if (body.writerIndex() - at < 2 + nameLength + 1) {
            return null;
        }
        return MqttVersion.of(body.toString(at + 2, nameLength, java.nio.charset.StandardCharsets.UTF_8),
                body.getUnsignedByte(at + 2 + nameLength));
    }

    /**
     * Decodes exactly one whole packet from {@code in}, for tools and tests that hold complete packets.
     *
     * @param version the connection's version, or {@code null} to accept only a CONNECT, which names its own
     * @throws MalformedPacketException if the bytes are not exactly one valid packet
     */
    public static MqttPacket decodeOne(ByteBuf in, MqttVersion version) {
        MqttDecoder decoder = new MqttDecoder(version, PROTOCOL_MAXIMUM_PACKET_SIZE);
        // With no bytes at all there is no first byte to check.
        int size = in.isReadable() ? decoder.frameSize(in, in.readerIndex(), in.writerIndex()) : HEADER_INCOMPLETE;
        if (size == HEADER_INCOMPLETE || in.readableBytes() < size) {
            throw MalformedPacketException.malformed("2.1.4", "the bytes end before the packet does");
        }
        if (in.readableBytes() > size) {
            throw MalformedPacketException.malformed("2.1.4",
                    (in.readableBytes() - size) + " bytes follow the packet");
        }
        return decoder.decodeFrame(in);
    }
}
