package zzq.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Publish;
import zzq.codec.packet.Will;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;

/** The packets every benchmark encodes and decodes, built once per trial. */
final class Fixtures {
    /**
     * Netty's pooled allocator, named explicitly: in Netty 4.2 {@code ByteBufAllocator.DEFAULT} is the adaptive
     * allocator; these benchmarks measure the pooled one, the default of Netty 4.1.
     */
    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /**
     * The two JVM options every benchmark's fork starts with ({@code @Fork(jvmArgsPrepend)}): run the benchmark
     * threads as Netty event-loop threads, see {@link EventLoopThreadExecutor}. A {@code -jvmArgsPrepend} on the
     * command line replaces them.
     */
    static final String EXECUTOR = "-Djmh.executor=CUSTOM";
    static final String EXECUTOR_CLASS = "-Djmh.executor.class=zzq.benchmarks.EventLoopThreadExecutor";

    /** A topic of typical length and depth. */
    static final String TOPIC = "sensors/building-7/floor-3/room-12/temperature";

    private Fixtures() {
    }

    /** Deterministic payload bytes in a pooled buffer; the caller releases it. */
    static ByteBuf payload(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(42).nextBytes(bytes);
        ByteBuf buf = ALLOC.buffer(size, size);
        buf.writeBytes(bytes);
        return buf;
    }

    /**
     * A QoS 1 PUBLISH; in 5.0 with the two properties a typical application sets: a message expiry interval and a
     * content type. It shares {@code payload} (does not retain it).
     */
    static Publish publish(MqttVersion version, ByteBuf payload) {
        Properties properties = version.isV5()
                ? Properties.builder()
                        .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 3600)
                        .add(PropertyId.CONTENT_TYPE, "application/json")
                        .build()
                : Properties.EMPTY;
        return new Publish(TOPIC, QoS.AT_LEAST_ONCE, false, false, 4242, properties, payload);
    }

    /**
     * A CONNECT with a will, a user name and a password; in 5.0 with a session expiry interval, a receive maximum,
     * a topic alias maximum and a user property, and a will delay interval and content type on the will.
     */
    static Connect connect(MqttVersion version) {
        boolean v5 = version.isV5();
        Properties willProperties = v5
                ? Properties.builder()
                        .add(PropertyId.WILL_DELAY_INTERVAL, 30)
                        .add(PropertyId.CONTENT_TYPE, "text/plain")
                        .build()
                : Properties.EMPTY;
        Will will = new Will("clients/device-0042/status", ascii("offline: connection lost"), QoS.AT_LEAST_ONCE,
                true, willProperties);
        Properties properties = v5
                ? Properties.builder()
                        .add(PropertyId.SESSION_EXPIRY_INTERVAL, 86_400)
                        .add(PropertyId.RECEIVE_MAXIMUM, 100)
                        .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 16)
                        .userProperty("firmware", "2.4.1")
                        .build()
                : Properties.EMPTY;
        return new Connect(version, "device-0042-7f3a9c", false, 60, "device-0042",
                ascii("s3cr3t-t0ken-0123456789abcdef"), will, properties);
    }

    private static BinaryData ascii(String s) {
        return BinaryData.of(s.getBytes(StandardCharsets.US_ASCII));
    }
}
