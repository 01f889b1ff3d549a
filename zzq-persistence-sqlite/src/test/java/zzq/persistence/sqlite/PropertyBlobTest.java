package zzq.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Publish;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/** Properties as stored: MQTT's own property bytes, exactly what the codec puts in a PUBLISH, and back. */
class PropertyBlobTest {
    @Test
    @DisplayName("the stored bytes are the codec's: the properties section of an encoded PUBLISH")
    void sameBytesAsTheCodec() {
        Properties p = Stores.richProperties().toBuilder().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .add(PropertyId.TOPIC_ALIAS, 65_535).userProperty("long", "x".repeat(300)).build();
        String topic = "t";
        ByteBuf packet = MqttEncoder.encode(new Publish(topic, QoS.AT_MOST_ONCE, false, false, 0, p,
                Unpooled.EMPTY_BUFFER), MqttVersion.V5, UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] all = ByteBufUtil.getBytes(packet);
            int remainingLengthBytes = all[1] < 0 ? (all[2] < 0 ? 3 : 2) : 1;
            int start = 1 + remainingLengthBytes + 2 + topic.getBytes(StandardCharsets.UTF_8).length;
            byte[] section = java.util.Arrays.copyOfRange(all, start, all.length); // no payload follows
            assertArrayEquals(section, PropertyBlob.encode(p));
        } finally {
            packet.release();
        }
    }

    @Test
    @DisplayName("every property type, user properties in order, reads back equal; none is one zero byte")
    void roundTrip() {
        Properties p = Stores.richProperties().toBuilder().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 4_000_000_000L)
                .add(PropertyId.TOPIC_ALIAS, 65_535).build();
        assertEquals(p, PropertyBlob.decode(PropertyBlob.encode(p)));
        assertEquals(Stores.richProperties().userProperties(),
                PropertyBlob.decode(PropertyBlob.encode(Stores.richProperties())).userProperties());
        assertArrayEquals(new byte[] {0}, PropertyBlob.encode(Properties.EMPTY));
        assertEquals(Properties.EMPTY, PropertyBlob.decode(new byte[] {0}));
    }

    @Test
    @DisplayName("damaged bytes are refused with a message, not misread")
    void damaged() {
        byte[] good = PropertyBlob.encode(Stores.richProperties());
        assertThrows(IllegalArgumentException.class,
                () -> PropertyBlob.decode(java.util.Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> PropertyBlob.decode(new byte[] {2, 0x7F, 0}));
    }
}
