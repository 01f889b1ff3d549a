package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import zzq.codec.packet.Publish;

/**
 * {@link MqttEncoder#encode(zzq.codec.packet.MqttPacket, MqttVersion, ByteBufAllocator)} fits a packet whose
 * strings are long next to the rest into its exactly sized buffer (Netty's writeUtf8 reserves 3 bytes a char).
 */
class EncodeExactSizeTest {
    @Test
    void publishWithALongTopicAndATinyPayloadFitsItsExactBuffer() {
        String topic = "sensors/building-7/floor-3/room-12/temperature"; // 46 chars: 138 bytes reserved
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {1, 2});
        Publish publish = Publish.atMostOnce(topic, payload);
        ByteBuf out = MqttEncoder.encode(publish, MqttVersion.V3_1_1, PooledByteBufAllocator.DEFAULT);
        try {
            byte[] topicBytes = topic.getBytes(StandardCharsets.US_ASCII);
            byte[] expected = new byte[2 + 2 + topicBytes.length + 2];
            expected[0] = 0x30; // PUBLISH, QoS 0
            expected[1] = (byte) (2 + topicBytes.length + 2);
            expected[3] = (byte) topicBytes.length;
            System.arraycopy(topicBytes, 0, expected, 4, topicBytes.length);
            expected[expected.length - 2] = 1;
            expected[expected.length - 1] = 2;
            assertArrayEquals(expected, ByteBufUtil.getBytes(out));
            assertEquals(out.capacity(), out.writerIndex(), "the buffer is exactly the packet's size");
        } finally {
            out.release();
            payload.release();
        }
    }

    @Test
    void multiByteTopicIsWrittenWithItsEncodedLength() {
        String topic = "caf\u00e9/\u6e29\u5ea6/\uD83D\uDE00"; // 2-, 3- and 4-byte sequences
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuf payload = Unpooled.EMPTY_BUFFER;
        ByteBuf out = MqttEncoder.encode(Publish.atMostOnce(topic, payload), MqttVersion.V5,
                PooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(2 + 2 + topicBytes.length + 1, out.readableBytes());
            assertEquals(topicBytes.length, out.getUnsignedShort(2));
            byte[] written = new byte[topicBytes.length];
            out.getBytes(4, written);
            assertArrayEquals(topicBytes, written);
            assertEquals(0, out.getByte(4 + topicBytes.length), "empty property length");
        } finally {
            out.release();
        }
    }
}
