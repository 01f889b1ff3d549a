package zzq.benchmarks;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Subscription;

/**
 * End to end over loopback TCP: a zzq client publishes a batch of messages with {@code publishAsync} through a
 * zzq broker to a zzq client subscribed with a callback; one operation is one message, from the first publish to
 * the last message received. Measures what the client and broker together sustain, acknowledgements included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ClientThroughputBenchmark {
    private static final int BATCH = 10_000;

    @Param({"0", "1", "2"})
    public int qos;

    @Param({"64"})
    public int payloadSize;

    private Broker broker;
    private Client publisher;
    private Client subscriber;
    private ApplicationMessage message;
    private final AtomicReference<CountDownLatch> batch = new AtomicReference<>();

    @Setup(Level.Trial)
    public void start() {
        broker = Broker.start(BrokerOptions.builder().maxQueuedMessages(100_000).maxInflightMessages(1000).build());
        String url = broker.bind("mqtt://127.0.0.1:0").toString();
        subscriber = Client.connect(url, ClientOptions.builder().receiveMaximum(1000)
                .subscriptionBuffer(2 * BATCH).build());
        publisher = Client.connect(url, ClientOptions.builder().maxQueuedPublishes(2 * BATCH).build());
        Subscription s = subscriber.subscribe("bench", QoS.of(qos));
        s.onMessage(m -> batch.get().countDown());
        message = ApplicationMessage.builder("bench").payload(new byte[payloadSize]).qos(QoS.of(qos)).build();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void publishAndReceive() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        batch.set(done);
        for (int i = 0; i < BATCH; i++) {
            publisher.publishAsync(message);
        }
        if (!done.await(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(done.getCount() + " of " + BATCH + " messages never arrived");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        publisher.close();
        subscriber.close();
        broker.close();
    }
}
