package zzq.cli;

import java.util.function.Consumer;
import zzq.engine.ApplicationMessage;
import zzq.engine.Subscription;

/**
 * One {@code zzq bench} subscriber's count of what it received: per publisher, which sequence numbers came (first
 * copies and duplicates, {@link SeenSequences}); the latency of each first copy, in a histogram for the whole run
 * and one for the current second; and messages that are not this run's. Fed by its subscription's callback (one
 * message at a time); read by the progress and the summary, hence synchronized (uncontended but for once a second).
 */
final class BenchSubscriber implements Consumer<ApplicationMessage> {
    private final int runId;
    private final SeenSequences[] seen;
    private final LatencyHistogram total = new LatencyHistogram();
    private final LatencyHistogram second = new LatencyHistogram();
    private Subscription subscription;
    private long received;
    private long foreign;
    private long lastReceivedNanos;

    /**
     * @param runId      the run's identifier ({@link BenchStamp})
     * @param publishers how many publishers there are
     */
    BenchSubscriber(int runId, int publishers) {
        this.runId = runId;
        this.seen = new SeenSequences[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new SeenSequences();
        }
    }

    /** Starts taking the subscription's messages. */
    void consume(Subscription subscription) {
        synchronized (this) {
            this.subscription = subscription;
        }
        subscription.onMessage(this);
    }

    @Override
    public void accept(ApplicationMessage message) {
        long now = System.nanoTime();
        BenchStamp stamp = BenchStamp.read(message.payload(), runId);
        synchronized (this) {
            if (stamp == null || stamp.publisher() >= seen.length) {
                foreign++;
                return;
            }
            received++;
            lastReceivedNanos = now;
            if (seen[stamp.publisher()].add(stamp.sequence())) {
                total.record(now - stamp.sentNanos());
                second.record(now - stamp.sentNanos());
            }
        }
    }

    /** Messages of this run received, duplicates included. */
    synchronized long received() {
        return received;
    }

    /** Different messages received from one publisher. */
    synchronized long distinct(int publisher) {
        return seen[publisher].distinct();
    }

    /** Duplicates received, from every publisher. */
    synchronized long duplicates() {
        long n = 0;
        for (SeenSequences s : seen) {
            n += s.duplicates();
        }
        return n;
    }

    /** Messages that were not this run's (retained messages, other traffic on the topics). */
    synchronized long foreign() {
        return foreign;
    }

    /** When the last message of this run came ({@link System#nanoTime()}), or 0. */
    synchronized long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** QoS 0 messages the client dropped because this subscriber's buffer was full (counted in lost too). */
    long droppedByClient() {
        Subscription s;
        synchronized (this) {
            s = subscription;
        }
        return s == null ? 0 : s.droppedMessages();
    }

    /** Adds the whole run's latencies to {@code into}. */
    synchronized void addTotal(LatencyHistogram into) {
        into.add(total);
    }

    /** Adds the latencies since the last call to {@code into}, and starts a new second. */
    synchronized void takeSecond(LatencyHistogram into) {
        into.add(second);
        second.reset();
    }
}
