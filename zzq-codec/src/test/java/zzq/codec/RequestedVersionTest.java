package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A server-side decoder knows the version a CONNECT asked for as soon as its protocol name and level are read, so a
 * server can refuse a malformed CONNECT in that version's CONNACK (MQTT-3.1.2-2, 5.0 section 4.13.1).
 */
class RequestedVersionTest {
    private static MqttDecoder decodeFailing(int... bytes) {
        MqttDecoder d = MqttDecoder.forServer(1024);
        ByteBuf in = Unpooled.buffer(bytes.length);
        for (int b : bytes) {
            in.writeByte(b);
        }
        try {
            assertThrows(MalformedPacketException.class, () -> d.decode(in, p -> {
                throw new AssertionError("decoded " + p);
            }));
        } finally {
            in.release();
            d.close();
        }
        return d;
    }

    @Test
    @DisplayName("a 5.0 CONNECT with the reserved flag set: malformed, but known to ask for 5.0")
    void malformedV5Connect() {
        MqttDecoder d = decodeFailing(
                0x10, 0x0E,                         // CONNECT, remaining length 14
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, // "MQTT" level 5
                0x03,                               // clean start and the reserved bit 0
                0x00, 0x1E, 0x00,                   // keep alive 30, properties length 0
                0x00, 0x01, 'c');                   // client identifier "c"
        assertEquals(MqttVersion.V5, d.requestedVersion());
        assertNull(d.version(), "the connection's version is set by a CONNECT that decodes");
    }

    @Test
    @DisplayName("an unknown level: no requested version, and the reason is 0x84 Unsupported Protocol Version")
    void unknownLevel() {
        MqttDecoder d = MqttDecoder.forServer(1024);
        ByteBuf in = Unpooled.wrappedBuffer(new byte[] {
            0x10, 0x0D,                           // CONNECT, remaining length 13
            0x00, 0x04, 'M', 'Q', 'T', 'T', 0x06, // "MQTT" level 6
            0x02, 0x00, 0x1E,                     // clean session, keep alive 30
            0x00, 0x01, 'c'});                    // client identifier "c"
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> d.decode(in, p -> { }));
            assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, e.reasonCode());
            assertNull(d.requestedVersion());
        } finally {
            in.release();
            d.close();
        }
    }

    @Test
    @DisplayName("a packet before CONNECT: no requested version")
    void notAConnect() {
        assertNull(decodeFailing(0xC0, 0x00).requestedVersion()); // PINGREQ first
    }
}
