package zzq.benchmarks;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import zzq.codec.MqttDecoder;
import zzq.codec.MqttEncoder;
import zzq.codec.MqttVersion;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;

/**
 * PUBLISH encode and decode, per packet, by payload size and protocol version.
 *
 * <p>Every buffer a benchmark method gets (an encoded packet, a decoded payload slice) is released in that method,
 * so the pool's state is the same at every invocation and nothing leaks; the trial's own buffers are released in
 * {@link #tearDown()}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsPrepend = {Fixtures.EXECUTOR, Fixtures.EXECUTOR_CLASS})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PublishBenchmark {
    /** Packets in one buffer for {@link #decodeStream}: what one socket read of small messages may carry. */
    static final int BATCH = 64;

    @Param({"16", "4096"})
    public int payloadSize;

    @Param({"V3_1_1", "V5"})
    public MqttVersion version;

    private ByteBuf payload;
    private Publish publish;
    /** One encoded PUBLISH. */
    private ByteBuf encoded;
    /** {@link #BATCH} encoded PUBLISH packets back to back. */
    private ByteBuf batch;
    private MqttDecoder streamDecoder;
    private final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp() {
        payload = Fixtures.payload(payloadSize);
        publish = Fixtures.publish(version, payload);
        encoded = MqttEncoder.encode(publish, version, Fixtures.ALLOC);
        batch = Fixtures.ALLOC.buffer(BATCH * encoded.readableBytes());
        for (int i = 0; i < BATCH; i++) {
            MqttEncoder.encode(publish, version, batch);
        }
        streamDecoder = MqttDecoder.forClient(version, MqttDecoder.PROTOCOL_MAXIMUM_PACKET_SIZE);
        // Fail fast if the fixtures do not round-trip: a benchmark of a failing decode measures nothing.
        Publish decoded = (Publish) MqttDecoder.decodeOne(encoded.duplicate(), version);
        try {
            if (!decoded.topic().equals(publish.topic()) || !decoded.payload().equals(payload)
                    || !decoded.properties().equals(publish.properties())) {
                throw new IllegalStateException("PUBLISH does not round-trip: " + decoded);
            }
        } finally {
            decoded.payload().release();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        streamDecoder.close();
        batch.release();
        encoded.release();
        payload.release();
    }

    /** Sizes and writes one PUBLISH into a buffer of exactly its size from the pooled allocator. */
    @Benchmark
    public void encode(Blackhole bh) {
        ByteBuf out = MqttEncoder.encode(publish, version, Fixtures.ALLOC);
        bh.consume(out.writerIndex());
        out.release();
    }

    /** Decodes one whole PUBLISH with {@link MqttDecoder#decodeOne}; the payload is a retained slice. */
    @Benchmark
    public void decodeOne(Blackhole bh) {
        encoded.readerIndex(0);
        Publish p = (Publish) MqttDecoder.decodeOne(encoded, version);
        bh.consume(p);
        p.payload().release();
    }

    /** Frames and decodes {@link #BATCH} PUBLISH packets from one buffer with a streaming decoder; per packet. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeStream(Blackhole bh) {
        batch.readerIndex(0);
        sink.bh = bh;
        streamDecoder.decode(batch, sink);
    }

    /** Hands each decoded packet to the blackhole and releases its payload, as a connection's handler would. */
    static final class Sink implements Consumer<MqttPacket> {
        Blackhole bh;

        @Override
        public void accept(MqttPacket packet) {
            bh.consume(packet);
            ((Publish) packet).payload().release();
        }
    }
}
