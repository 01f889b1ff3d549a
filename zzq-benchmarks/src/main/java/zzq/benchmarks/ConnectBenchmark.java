package zzq.benchmarks;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
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
import zzq.codec.packet.Connect;

/**
 * CONNECT encode and decode with a will, a user name and a password (and in 5.0 a few properties on both).
 *
 * <p>Decoding runs as a server does, with no version yet: the CONNECT names its own.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsPrepend = {Fixtures.EXECUTOR, Fixtures.EXECUTOR_CLASS})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectBenchmark {
    @Param({"V3_1_1", "V5"})
    public MqttVersion version;

    private Connect connect;
    private ByteBuf encoded;

    @Setup(Level.Trial)
    public void setUp() {
        connect = Fixtures.connect(version);
        encoded = MqttEncoder.encode(connect, version, Fixtures.ALLOC);
        Connect decoded = (Connect) MqttDecoder.decodeOne(encoded.duplicate(), null);
        if (!decoded.equals(connect)) {
            throw new IllegalStateException("CONNECT does not round-trip: " + decoded + " vs " + connect);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoded.release();
    }

    /** Sizes and writes one CONNECT into a buffer of exactly its size from the pooled allocator. */
    @Benchmark
    public void encode(Blackhole bh) {
        ByteBuf out = MqttEncoder.encode(connect, version, Fixtures.ALLOC);
        bh.consume(out.writerIndex());
        out.release();
    }

    /** Decodes one whole CONNECT with {@link MqttDecoder#decodeOne}, as the first packet of a connection. */
    @Benchmark
    public Connect decode() {
        encoded.readerIndex(0);
        return (Connect) MqttDecoder.decodeOne(encoded, null);
    }
}
