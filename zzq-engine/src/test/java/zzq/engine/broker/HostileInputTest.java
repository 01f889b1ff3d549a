package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Pubrec;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Clients;
import zzq.engine.RawClient;

/**
 * Hand-written bad bytes: each case ends with the close the specification asks for (5.0 past CONNECT: DISCONNECT
 * with the reason; a bad 5.0 CONNECT: CONNACK with the reason; 3.1.1: just the close), and after each the broker
 * still serves another client ({@link #stillServes()}).
 */
@Timeout(60)
class HostileInputTest {
    /** The inbound QoS 2 window (Receive Maximum) of the broker under test. */
    private static final int MAX_INFLIGHT = 3;

    private Broker broker;
    private Endpoint ep;

    @BeforeEach
    void start() {
        broker = Broker.start(BrokerOptions.builder().maxPacketSize(1024).maxInflightMessages(MAX_INFLIGHT).build());
        ep = broker.bind("mqtt://127.0.0.1:0");
    }

    @AfterEach
    void stillServes() throws IOException {
        try {
            Clients.assertServes(ep);
        } finally {
            broker.close();
        }
    }

    private RawClient v5() throws IOException {
        return Clients.connected(ep, MqttVersion.V5, "hostile5", 30);
    }

    private RawClient v311() throws IOException {
        return Clients.connected(ep, MqttVersion.V3_1_1, "hostile311", 30);
    }

    /** A connected 5.0 client sends these bytes and is told {@code reason} in a DISCONNECT, then closed. */
    private void v5Disconnects(ReasonCode reason, int... bytes) throws IOException {
        try (RawClient c = v5()) {
            c.sendBytes(bytes(bytes));
            Clients.assertDisconnected(c, reason);
        }
    }

    /** A connected 3.1.1 client sends these bytes and is closed without a word (MQTT-4.8.0-1). */
    private void v311Closes(int... bytes) throws IOException {
        try (RawClient c = v311()) {
            c.sendBytes(bytes(bytes));
            Clients.assertClosedSilently(c);
        }
    }

    private static byte b(int value) {
        return (byte) value;
    }

    /** Bytes written as ints, so that 0x80 to 0xFF need no cast. */
    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Nested
    @DisplayName("fixed header")
    class FixedHeaderRules {
        @Test
        @DisplayName("reserved packet type 0: 5.0 DISCONNECT 0x81, 3.1.1 close (2.1.2)")
        void reservedTypeZero() throws IOException {
            int[] bytes = {
                0x00, // type 0 (reserved), flags 0
                0x00, // remaining length 0
            };
            v5Disconnects(ReasonCode.MALFORMED_PACKET, bytes);
            v311Closes(bytes);
        }

        @Test
        @DisplayName("packet type 15 is reserved in 3.1.1: close (2.1.2)")
        void reservedTypeFifteenIn311() throws IOException {
            v311Closes(
                b(0xF0), // type 15 (AUTH in 5.0, reserved in 3.1.1), flags 0
                0x00);   // remaining length 0
        }

        @Test
        @DisplayName("type 15 (AUTH) from a 5.0 client that used no authentication method: DISCONNECT 0x82 "
                + "(MQTT-4.12.0-7)")
        void authWithoutMethodIn5() throws IOException {
            v5Disconnects(ReasonCode.PROTOCOL_ERROR,
                b(0xF0),  // AUTH, flags 0
                0x00);    // remaining length 0: reason 0x00 Success, no properties
        }

        @Test
        @DisplayName("PUBREL with flags 0000 instead of 0010: 5.0 DISCONNECT 0x81, 3.1.1 close (MQTT-2.1.3-1)")
        void pubrelWrongFlags() throws IOException {
            int[] bytes = {
                0x60,       // PUBREL with flags 0000 (must be 0010)
                0x02,       // remaining length 2
                0x00, 0x01, // packet identifier 1
            };
            v5Disconnects(ReasonCode.MALFORMED_PACKET, bytes);
            v311Closes(bytes);
        }

        @Test
        @DisplayName("SUBSCRIBE with flags 0000 instead of 0010: DISCONNECT 0x81 (MQTT-3.8.1-1)")
        void subscribeWrongFlags() throws IOException {
            v5Disconnects(ReasonCode.MALFORMED_PACKET,
                b(0x80),        // SUBSCRIBE with flags 0000 (must be 0010)
                0x07,           // remaining length 7
                0x00, 0x01,     // packet identifier 1
                0x00,           // properties length 0
                0x00, 0x01, 'a', // topic filter "a"
                0x00);          // subscription options: QoS 0
            v311Closes(
                b(0x80),        // SUBSCRIBE with flags 0000 (must be 0010)
                0x06,           // remaining length 6
                0x00, 0x01,     // packet identifier 1
                0x00, 0x01, 'a', // topic filter "a"
                0x00);          // requested QoS 0
        }

        @Test
        @DisplayName("remaining length with 5 continuation bytes: 5.0 DISCONNECT 0x81, 3.1.1 close (1.5.5)")
        void remainingLengthTooLong() throws IOException {
            int[] bytes = {
                0x30,                                     // PUBLISH QoS 0
                b(0xFF), b(0xFF), b(0xFF), b(0xFF), 0x7F, // five bytes of variable byte integer: at most four
            };
            v5Disconnects(ReasonCode.MALFORMED_PACKET, bytes);
            v311Closes(bytes);
        }

        @Test
        @DisplayName("remaining length over maxPacketSize(1024): 5.0 DISCONNECT 0x95, 3.1.1 close (3.1.2.11.4)")
        void packetTooLarge() throws IOException {
            int[] bytes = {
                0x30,            // PUBLISH QoS 0
                b(0x81), 0x08,   // remaining length 1 + 8 * 128 = 1025: 1028 bytes in all, over 1024
                0x00, 0x01, 't', // the start of a body that never needs to arrive
            };
            v5Disconnects(ReasonCode.PACKET_TOO_LARGE, bytes);
            v311Closes(bytes);
        }
    }

    @Nested
    @DisplayName("PUBLISH")
    class PublishRules {
        @Test
        @DisplayName("topic with the overlong encoding 0xC0 0x80: DISCONNECT 0x81 (MQTT-1.5.4-1)")
        void overlongUtf8Topic() throws IOException {
            v5Disconnects(ReasonCode.MALFORMED_PACKET,
                0x30,              // PUBLISH QoS 0
                0x06,              // remaining length 6
                0x00, 0x02,        // topic length 2
                b(0xC0), b(0x80),  // an overlong U+0000: not well-formed UTF-8
                0x00,              // properties length 0
                'p');              // payload
            v311Closes(
                0x30,              // PUBLISH QoS 0
                0x05,              // remaining length 5
                0x00, 0x02,        // topic length 2
                b(0xC0), b(0x80),  // an overlong U+0000
                'p');              // payload
        }

        @Test
        @DisplayName("topic with a lone surrogate (0xED 0xA0 0x80 = U+D800): DISCONNECT 0x81 (MQTT-1.5.4-1)")
        void surrogateTopic() throws IOException {
            v5Disconnects(ReasonCode.MALFORMED_PACKET,
                0x30,                     // PUBLISH QoS 0
                0x07,                     // remaining length 7
                0x00, 0x03,               // topic length 3
                b(0xED), b(0xA0), b(0x80), // U+D800, a surrogate, encoded
                0x00,                     // properties length 0
                'p');                     // payload
        }

        @Test
        @DisplayName("topic with U+0000: DISCONNECT 0x81 (MQTT-1.5.4-2)")
        void nulInTopic() throws IOException {
            v5Disconnects(ReasonCode.MALFORMED_PACKET,
                0x30,        // PUBLISH QoS 0
                0x05,        // remaining length 5
                0x00, 0x01,  // topic length 1
                0x00,        // U+0000
                0x00,        // properties length 0
                'p');        // payload
        }

        @Test
        @DisplayName("wildcard in a PUBLISH topic: 5.0 DISCONNECT 0x90 Topic Name invalid, 3.1.1 close (MQTT-3.3.2-2)")
        void wildcardTopic() throws IOException {
            v5Disconnects(ReasonCode.TOPIC_NAME_INVALID,
                0x30,                  // PUBLISH QoS 0
                0x07,                  // remaining length 7
                0x00, 0x03,            // topic length 3
                'a', '/', '+',         // "a/+": a wildcard
                0x00,                  // properties length 0
                'p');                  // payload
            v311Closes(
                0x30,                  // PUBLISH QoS 0
                0x06,                  // remaining length 6
                0x00, 0x03,            // topic length 3
                'a', '/', '#',         // "a/#": a wildcard
                'p');                  // payload
        }

        @Test
        @DisplayName("QoS 1 PUBLISH with packet identifier 0: DISCONNECT 0x82 (MQTT-2.2.1-3)")
        void packetIdZero() throws IOException {
            v5Disconnects(ReasonCode.PROTOCOL_ERROR,
                0x32,            // PUBLISH QoS 1
                0x07,            // remaining length 7
                0x00, 0x01, 't', // topic "t"
                0x00, 0x00,      // packet identifier 0
                0x00,            // properties length 0
                'p');            // payload
            v311Closes(
                0x32,            // PUBLISH QoS 1
                0x06,            // remaining length 6
                0x00, 0x01, 't', // topic "t"
                0x00, 0x00,      // packet identifier 0
                'p');            // payload
        }

        @Test
        @DisplayName("PUBLISH with QoS 3: 5.0 DISCONNECT 0x81, 3.1.1 close (MQTT-3.3.1-4)")
        void qosThree() throws IOException {
            int[] bytes = {
                0x36,            // PUBLISH with both QoS bits set
                0x06,            // remaining length 6
                0x00, 0x01, 't', // topic "t"
                0x00, 0x01,      // packet identifier 1
                0x00,            // properties length 0 (5.0) or payload (3.1.1)
            };
            v5Disconnects(ReasonCode.MALFORMED_PACKET, bytes);
            v311Closes(bytes);
        }

        @Test
        @DisplayName("Topic Alias 11 over the maximum of 10: DISCONNECT 0x94 (MQTT-3.3.2-9)")
        void topicAliasOverMaximum() throws IOException {
            v5Disconnects(ReasonCode.TOPIC_ALIAS_INVALID,
                0x30,             // PUBLISH QoS 0
                0x08,             // remaining length 8
                0x00, 0x01, 't',  // topic "t"
                0x03,             // properties length 3
                0x23, 0x00, 0x0B, // Topic Alias (0x23) = 11
                'p');             // payload
        }

        @Test
        @DisplayName("a client's PUBLISH with a Subscription Identifier: DISCONNECT 0x82 (MQTT-3.3.4-6)")
        void subscriptionIdentifierFromClient() throws IOException {
            v5Disconnects(ReasonCode.PROTOCOL_ERROR,
                0x30,            // PUBLISH QoS 0
                0x07,            // remaining length 7
                0x00, 0x01, 't', // topic "t"
                0x02,            // properties length 2
                0x0B, 0x01,      // Subscription Identifier (0x0B) = 1
                'p');            // payload
        }

        @Test
        @DisplayName("more unreleased QoS 2 PUBLISHes than the Receive Maximum: DISCONNECT 0x93 (MQTT-3.3.4-9)")
        void receiveMaximumExceeded() throws IOException {
            try (RawClient c = v5()) {
                for (int id = 1; id <= MAX_INFLIGHT + 1; id++) {
                    c.send(RawClient.publish("q2", "m" + id, QoS.EXACTLY_ONCE, id, false)); // never PUBREL
                }
                for (int id = 1; id <= MAX_INFLIGHT; id++) {
                    assertEquals(id, c.expect(Pubrec.class).packetId());
                }
                Clients.assertDisconnected(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            }
        }
    }

    /**
     * A CONNECT in the form of 3.1.1 (no properties) with a four-letter protocol name, this level and these connect
     * flags, keep alive 30 and the client identifier "c".
     */
    private static byte[] v311FormConnect(String name, int level, int flags) {
        return bytes(
            0x10,                   // CONNECT
            0x0D,                   // remaining length 13
            0x00, 0x04,             // protocol name length 4
            name.charAt(0), name.charAt(1), name.charAt(2), name.charAt(3), // protocol name
            level,                  // protocol level
            flags,                  // connect flags
            0x00, 0x1E,             // keep alive 30
            0x00, 0x01, 'c');       // client identifier "c"
    }

    @Nested
    @DisplayName("CONNECT and the order of packets")
    class ConnectRules {
        @Test
        @DisplayName("a packet before CONNECT: just the close, in any version (MQTT-3.1.0-1)")
        void packetBeforeConnect() throws IOException {
            try (RawClient c = new RawClient(ep, MqttVersion.V5)) {
                c.sendBytes(new byte[] {
                    b(0xC0), // PINGREQ
                    0x00,    // remaining length 0
                });
                Clients.assertClosedSilently(c);
            }
        }

        @Test
        @DisplayName("a second CONNECT: 5.0 DISCONNECT 0x82, 3.1.1 close (MQTT-3.1.0-2)")
        void secondConnect() throws IOException {
            try (RawClient c = v5()) {
                c.send(RawClient.connect(MqttVersion.V5, "again", true, 30));
                Clients.assertDisconnected(c, ReasonCode.PROTOCOL_ERROR);
            }
            try (RawClient c = v311()) {
                c.send(RawClient.connect(MqttVersion.V3_1_1, "again", true, 30));
                Clients.assertClosedSilently(c);
            }
        }

        @Test
        @DisplayName("protocol level 6 under the name MQTT: CONNACK 0x01 unacceptable protocol level, then close "
                + "(MQTT-3.1.2-2)")
        void unknownProtocolLevel() throws IOException {
            try (RawClient c = new RawClient(ep, MqttVersion.V3_1_1)) {
                c.sendBytes(v311FormConnect("MQTT", 6, 0x02)); // level 6: no such version; clean session
                // the 3.1.1 return code 1 reads back as 0x84 Unsupported Protocol Version
                Clients.assertRefused(c, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            }
        }

        @Test
        @DisplayName("an unknown protocol name: close (MQTT-3.1.2-1)")
        void unknownProtocolName() throws IOException {
            try (RawClient c = new RawClient(ep, MqttVersion.V3_1_1)) {
                c.sendBytes(v311FormConnect("MQTX", 4, 0x02)); // name "MQTX"; clean session
                Clients.assertClosedSilently(c);
            }
        }

        @Test
        @DisplayName("a malformed 5.0 CONNECT (reserved flag set): CONNACK 0x81, then close (MQTT-3.1.2-3, 4.13.1)")
        void malformedV5Connect() throws IOException {
            try (RawClient c = new RawClient(ep, MqttVersion.V5)) {
                c.sendBytes(new byte[] {
                    0x10,                   // CONNECT
                    0x0E,                   // remaining length 14
                    0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                    0x05,                   // protocol level 5
                    0x03,                   // connect flags: clean start and the reserved bit 0
                    0x00, 0x1E,             // keep alive 30
                    0x00,                   // properties length 0
                    0x00, 0x01, 'c',        // client identifier "c"
                });
                Connack ack = Clients.assertRefused(c, ReasonCode.MALFORMED_PACKET);
                assertEquals(false, ack.sessionPresent());
            }
        }

        @Test
        @DisplayName("a malformed 3.1.1 CONNECT (reserved flag set): just the close (MQTT-3.1.2-3)")
        void malformedV311Connect() throws IOException {
            try (RawClient c = new RawClient(ep, MqttVersion.V3_1_1)) {
                c.sendBytes(v311FormConnect("MQTT", 4, 0x03)); // clean session and the reserved bit 0
                Clients.assertClosedSilently(c);
            }
        }
    }

    @Nested
    @DisplayName("SUBSCRIBE")
    class SubscribeRules {
        @Test
        @DisplayName("SUBSCRIBE with no topic filter: 5.0 DISCONNECT 0x82, 3.1.1 close (MQTT-3.8.3-2)")
        void noTopicFilters() throws IOException {
            v5Disconnects(ReasonCode.PROTOCOL_ERROR,
                b(0x82),     // SUBSCRIBE
                0x03,        // remaining length 3
                0x00, 0x01,  // packet identifier 1
                0x00);       // properties length 0, and no filter
            v311Closes(
                b(0x82),     // SUBSCRIBE
                0x02,        // remaining length 2
                0x00, 0x01); // packet identifier 1, and no filter
        }
    }
}
