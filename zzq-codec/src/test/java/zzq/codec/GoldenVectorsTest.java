package zzq.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static zzq.codec.MqttVersion.V3_1_1;
import static zzq.codec.MqttVersion.V5;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.packet.Puback;
import zzq.codec.packet.Pubcomp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Pubrec;
import zzq.codec.packet.Pubrel;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.wire.VariableByteInteger;

/**
 * Every line of the shared golden-vector file (bytes from an independent codec) decodes to the packet its
 * description names, written out here by hand, and that packet encodes back to exactly those bytes.
 */
class GoldenVectorsTest {
    /** Where the vectors live relative to the directory that holds the repository (and, in CI, shared/). */
    static final String VECTORS = "shared/testdata/mqtt-golden-vectors.tsv";

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** One non-comment line of the file. */
    record Line(int number, String text) {
        @Override
        public String toString() {
            return "line " + number + ": " + text.split("\t", 2)[0];
        }
    }

    /** What a description means: packets that decode and encode, or variable byte integer pairs. */
    sealed interface Expectation permits Decodes, VbiPairs {
    }

    /** The bytes are this packet in each of these versions (a CONNECT names its own version). */
    record Decodes(Set<MqttVersion> versions, Supplier<MqttPacket> packet) implements Expectation {
    }


    /** The inputs the VBI line lists, in order. */
    record VbiPairs(int... values) implements Expectation {
    }

    /** Description (exactly as in the file) -> what it means, built by hand from the description. */
    private static final Map<String, Expectation> EXPECTED = new LinkedHashMap<>();

    static {
        decodes("PINGREQ v3", V3_1_1, () -> Pingreq.INSTANCE);
        decodes("PINGRESP v5", V5, () -> Pingresp.INSTANCE);
        decodes("DISCONNECT v3", V3_1_1, () -> Disconnect.NORMAL);
        decodes("DISCONNECT v5 normal/no props", V5,
                () -> new Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
        decodes("DISCONNECT v5 0x8B no props", V5, () -> new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN));
        decodes("DISCONNECT v5 0x8B reason_string \"bye\"", V5, () -> new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN,
                Properties.builder().add(PropertyId.REASON_STRING, "bye").build()));
        decodes("AUTH v5 success/empty", V5, () -> new Auth(ReasonCode.SUCCESS, Properties.EMPTY));
        decodes("AUTH v5 0x18 method \"SCRAM-SHA-256\" + data \"data\"", V5,
                () -> new Auth(ReasonCode.CONTINUE_AUTHENTICATION, Properties.builder()
                        .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                        .add(PropertyId.AUTHENTICATION_DATA, binary("data"))
                        .build()));

        decodes("CONNECT v3 minimal \"c1\"", V3_1_1,
                () -> new Connect(V3_1_1, "c1", true, 0, null, null, null, Properties.EMPTY));
        decodes("CONNECT v5 minimal \"c1\"", V5,
                () -> new Connect(V5, "c1", true, 0, null, null, null, Properties.EMPTY));
        decodes("CONNECT v3 clean_start false, ka 30, user u, pass p, will d/c1 \"bye\" qos1 retain", V3_1_1,
                () -> new Connect(V3_1_1, "c1", false, 30, "u", binary("p"),
                        new Will("d/c1", binary("bye"), QoS.AT_LEAST_ONCE, true, Properties.EMPTY),
                        Properties.EMPTY));
        decodes("CONNECT v5 same + will_delay 10, session_expiry 3600, receive_max 100", V5,
                () -> new Connect(V5, "c1", false, 30, "u", binary("p"),
                        new Will("d/c1", binary("bye"), QoS.AT_LEAST_ONCE, true,
                                Properties.builder().add(PropertyId.WILL_DELAY_INTERVAL, 10).build()),
                        Properties.builder()
                                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 3600)
                                .add(PropertyId.RECEIVE_MAXIMUM, 100)
                                .build()));

        decodes("CONNACK v3 accepted", V3_1_1, () -> new Connack(false));
        // MQTT-3.2.2-4 binds the server that sends a refusal to clear Session Present; a reader takes the flag as
        // written (the refusal stands), so this line decodes and encodes back like any other.
        decodes("CONNACK v3 session_present, rc 5", V3_1_1,
                () -> new Connack(true, ReasonCode.NOT_AUTHORIZED, Properties.EMPTY));
        decodes("CONNACK v5 success, no props", V5, () -> new Connack(false, ReasonCode.SUCCESS, Properties.EMPTY));
        decodes("CONNACK v5 assigned id \"abc\", receive_max 10", V5,
                () -> new Connack(false, ReasonCode.SUCCESS, Properties.builder()
                        .add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "abc")
                        .add(PropertyId.RECEIVE_MAXIMUM, 10)
                        .build()));

        decodes("PUBLISH v3 qos0 a/b \"hi\"", V3_1_1, () -> Publish.atMostOnce("a/b", payload("hi")));
        // The description leaves the payload out; the bytes carry "hi".
        decodes("PUBLISH v3 qos1 pid 5 retain", V3_1_1,
                () -> new Publish("a/b", QoS.AT_LEAST_ONCE, true, false, 5, Properties.EMPTY, payload("hi")));
        decodes("PUBLISH v5 qos0 a/b \"hi\"", V5, () -> Publish.atMostOnce("a/b", payload("hi")));
        // The description leaves the payload out; the bytes carry "p".
        decodes("PUBLISH v5 qos2 dup retain pid 5, content_type, user_property k=v", V5,
                () -> new Publish("a/b", QoS.EXACTLY_ONCE, true, true, 5, Properties.builder()
                        .add(PropertyId.CONTENT_TYPE, "text/plain")
                        .userProperty("k", "v")
                        .build(), payload("p")));
        // The description leaves the payload out; the bytes carry "x".
        decodes("PUBLISH v5 empty topic + topic_alias 1", V5,
                () -> new Publish("", QoS.AT_MOST_ONCE, false, false, 0,
                        Properties.builder().add(PropertyId.TOPIC_ALIAS, 1).build(), payload("x")));

        EXPECTED.put("PUBACK v3 pid 42 / v5 pid 42 success",
                new Decodes(EnumSet.of(V3_1_1, V5), () -> new Puback(42, ReasonCode.SUCCESS, Properties.EMPTY)));
        decodes("PUBACK v5 pid 7 rc 0x10", V5,
                () -> new Puback(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY));
        decodes("PUBACK v5 pid 1 rc 0x80 reason_string \"oops\"", V5, () -> new Puback(1,
                ReasonCode.UNSPECIFIED_ERROR, Properties.builder().add(PropertyId.REASON_STRING, "oops").build()));
        decodes("PUBREC v3 pid 42", V3_1_1, () -> new Pubrec(42));
        decodes("PUBREL v3 pid 1", V3_1_1, () -> new Pubrel(1));
        decodes("PUBREL v5 pid 1 rc 0x92", V5,
                () -> new Pubrel(1, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, Properties.EMPTY));
        decodes("PUBCOMP v3 pid 42", V3_1_1, () -> new Pubcomp(42));

        decodes("SUBSCRIBE v3 pid 1 a/# qos1", V3_1_1, () -> new Subscribe(1,
                List.of(new Subscription("a/#", SubscriptionOptions.of(QoS.AT_LEAST_ONCE))), Properties.EMPTY));
        decodes("SUBSCRIBE v5 pid 2 a/+ (qos2,NL,RAP,RH2), b (qos0), sub id 17", V5, () -> new Subscribe(2,
                List.of(new Subscription("a/+",
                                new SubscriptionOptions(QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND)),
                        new Subscription("b", SubscriptionOptions.of(QoS.AT_MOST_ONCE))),
                Properties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 17).build()));
        // The descriptions leave the packet identifier out; the bytes carry 1.
        decodes("SUBACK v3 [0, 0x80]", V3_1_1, () -> new Suback(1,
                List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.UNSPECIFIED_ERROR), Properties.EMPTY));
        decodes("SUBACK v5 [2, 0x87]", V5, () -> new Suback(1,
                List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.NOT_AUTHORIZED), Properties.EMPTY));
        decodes("UNSUBSCRIBE v3 pid 3 a, b/#", V3_1_1,
                () -> new Unsubscribe(3, List.of("a", "b/#"), Properties.EMPTY));
        // The description leaves the user property out; the bytes carry k=v.
        decodes("UNSUBSCRIBE v5 pid 3 a + user_property", V5, () -> new Unsubscribe(3, List.of("a"),
                Properties.builder().userProperty("k", "v").build()));
        decodes("UNSUBACK v3 pid 9", V3_1_1, () -> new Unsuback(9));
        decodes("UNSUBACK v5 pid 9 [0, 0x11]", V5, () -> new Unsuback(9,
                List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), Properties.EMPTY));

        EXPECTED.put("VBI 0 / 127 / 128 / 16 383 / 16 384 / 2 097 151 / 2 097 152 / 268 435 455",
                new VbiPairs(0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455));
    }

    private static void decodes(String description, MqttVersion version, Supplier<MqttPacket> packet) {
        if (EXPECTED.put(description, new Decodes(EnumSet.of(version), packet)) != null) {
            throw new IllegalStateException("two expectations for " + description);
        }
    }

    private static BinaryData binary(String ascii) {
        return BinaryData.of(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteBuf payload(String ascii) {
        return ALLOC.buffer().writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- the file ----

    /**
     * Finds the vectors by walking up from {@code user.dir}: the file sits in {@code shared/} beside the repository
     * (or beside any directory above the working directory). Fails, never skips, when it is not there.
     */
    static Path vectorsFile() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        List<Path> tried = new ArrayList<>();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(VECTORS);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new AssertionError("golden vectors not found: looked for " + VECTORS + " in every directory from "
                + start + " up; CI must clone the repository with shared/ beside it. Tried: " + tried);
    }

    static List<Line> lines() throws IOException {
        List<String> all = Files.readAllLines(vectorsFile(), StandardCharsets.UTF_8);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String text = all.get(i);
            if (!text.isBlank() && !text.startsWith("#")) {
                lines.add(new Line(i + 1, text));
            }
        }
        if (lines.isEmpty()) {
            throw new AssertionError(vectorsFile() + " holds no vectors");
        }
        return lines;
    }

    /** The hex field without a trailing parenthesised note such as "(from vbi_test.rb)". */
    private static String hexField(String field) {
        return field.replaceFirst("\\s*\\([^)]*\\)\\s*$", "").trim();
    }

    private static byte[] parseHex(String hex, Line line) {
        String[] tokens = hex.trim().split("\\s+");
        byte[] bytes = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            if (!tokens[i].matches("[0-9a-fA-F]{2}")) {
                fail(line + ": '" + tokens[i] + "' is not a hex byte");
            }
            bytes[i] = (byte) Integer.parseInt(tokens[i], 16);
        }
        return bytes;
    }

    // ---- the tests ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void lineMeansWhatItsDescriptionSays(Line line) {
        String[] fields = line.text().split("\t");
        assertEquals(2, fields.length, line + ": expected description<TAB>hex bytes");
        String description = fields[0];
        Expectation expectation = EXPECTED.get(description);
        if (expectation == null) {
            fail(line + ": no expectation for '" + description + "'; write the packet it means into EXPECTED");
        }
        String hex = hexField(fields[1]);
        if (expectation instanceof Decodes d) {
            assertEquals(versionsNamedBy(description), d.versions(), line + ": the versions the description names");
            byte[] bytes = parseHex(hex, line);
            for (MqttVersion version : d.versions()) {
                checkDecodes(line, bytes, version, d.packet());
                checkEncodes(line, bytes, version, d.packet());
            }
        } else {
            checkVbi(line, description, hex, ((VbiPairs) expectation).values());
        }
    }

    /** No expectation is stale: each one still names a line of the file. */
    @Test
    void everyExpectationNamesALineOfTheFile() throws IOException {
        Set<String> descriptions = lines().stream().map(l -> l.text().split("\t", 2)[0]).collect(Collectors.toSet());
        List<String> stale = EXPECTED.keySet().stream().filter(d -> !descriptions.contains(d)).toList();
        assertTrue(stale.isEmpty(), "expectations without a line in " + vectorsFile() + ": " + stale);
        assertEquals(EXPECTED.size(), lines().size(), "one line per expectation, no duplicates");
    }

    /** The versions a description names: "v3" is MQTT 3.1.1, "v5" is 5.0 (both for the shared PUBACK line). */
    private static Set<MqttVersion> versionsNamedBy(String description) {
        Set<MqttVersion> versions = EnumSet.noneOf(MqttVersion.class);
        for (String word : description.split("\\s+")) {
            if (word.equals("v3")) {
                versions.add(V3_1_1);
            } else if (word.equals("v5")) {
                versions.add(V5);
            }
        }
        return versions;
    }

    private static void checkDecodes(Line line, byte[] bytes, MqttVersion version, Supplier<MqttPacket> packet) {
        MqttPacket expected = packet.get();
        ByteBuf in = ALLOC.buffer(bytes.length).writeBytes(bytes);
        MqttPacket decoded = null;
        try {
            boolean connect = expected instanceof Connect;
            decoded = MqttDecoder.decodeOne(in, connect ? null : version);
            assertFalse(in.isReadable(), line + ": the whole packet is read");
            if (connect) {
                assertEquals(version, assertInstanceOf(Connect.class, decoded).version(), line + ": CONNECT version");
            }
            assertEquals(expected, decoded, line + ": decoded in " + version);
        } finally {
            release(decoded);
            release(expected);
            in.release();
        }
    }

    private static void checkEncodes(Line line, byte[] bytes, MqttVersion version, Supplier<MqttPacket> packet) {
        MqttPacket expected = packet.get();
        try {
            ByteBuf out = MqttEncoder.encode(expected, version, ALLOC);
            try {
                assertEquals(HEX.formatHex(bytes), HEX.formatHex(ByteBufUtil.getBytes(out)),
                        line + ": encoded in " + version);
            } finally {
                out.release();
            }
            assertEquals(bytes.length, MqttEncoder.encodedLength(expected, version), line + ": encodedLength");
        } finally {
            release(expected);
        }
    }


    /** The VBI line: its description's numbers are the hand-written inputs; each encodes to its hex group. */
    private static void checkVbi(Line line, String description, String hex, int[] values) {
        assertTrue(description.startsWith("VBI "), line.toString());
        int[] listed = Arrays.stream(description.substring(4).split("/"))
                .mapToInt(s -> Integer.parseInt(s.replaceAll("\\s", "")))
                .toArray();
        assertEquals(Arrays.toString(values), Arrays.toString(listed), line + ": the inputs the description lists");
        String[] groups = hex.split("/");
        assertEquals(values.length, groups.length, line + ": one encoding per input");
        for (int i = 0; i < values.length; i++) {
            int value = values[i];
            byte[] expected = parseHex(groups[i], line);
            String what = line + ": VBI " + value;
            assertEquals(expected.length, VariableByteInteger.size(value), what + " size");

            ByteBuf out = ALLOC.buffer(8);
            try {
                VariableByteInteger.write(out, value);
                assertEquals(HEX.formatHex(expected), HEX.formatHex(ByteBufUtil.getBytes(out)), what + " write");
            } finally {
                out.release();
            }

            ByteBuf in = ALLOC.buffer(expected.length + 1).writeBytes(expected).writeByte(0x5A);
            try {
                assertEquals(value, VariableByteInteger.read(in, "vbi"), what + " read");
                assertEquals(expected.length, in.readerIndex(), what + " read consumes exactly its bytes");
            } finally {
                in.release();
            }
        }
    }

    private static void release(MqttPacket packet) {
        if (packet instanceof Publish publish) {
            publish.payload().release();
        }
    }
}
