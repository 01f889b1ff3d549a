package zzq.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;

/**
 * One {@code zzq bench} publisher: a thread of its own that hands stamped messages ({@link BenchStamp}) to its
 * client with {@code publishAsync}, at most {@code window} not yet completed at once (so it never meets a full
 * client queue), either flat out or on an absolute schedule (the k-th message at start + k × interval, so that a
 * late one does not push the rest back: the publisher catches up), until its count is sent, the deadline passes, or
 * it is stopped. A message counts as sent when the client completes it: QoS 0 written, QoS 1 PUBACKed, QoS 2
 * PUBCOMPed.
 */
final class BenchPublisher {
    /** How often a publisher waiting for room looks whether it was stopped. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * What a publisher does.
     *
     * @param index         its index, from 0: in its topic, its client identifier and its stamps
     * @param topic         the topic it publishes to
     * @param qos           the QoS it publishes with
     * @param size          the payload size in bytes
     * @param runId         the run's identifier ({@link BenchStamp})
     * @param count         how many messages it sends at most ({@link Long#MAX_VALUE}: until the deadline)
     * @param startNanos    when the schedule starts ({@link System#nanoTime()})
     * @param intervalNanos the time between two of its messages, 0 for flat out
     * @param stopNanos     when it stops sending; meaningless when {@code timed} is false
     * @param timed         whether {@code stopNanos} applies
     * @param window        how many messages may be outstanding at once
     */
    record Plan(int index, String topic, QoS qos, int size, int runId, long count, long startNanos,
                long intervalNanos, long stopNanos, boolean timed, int window) {
    }

    private final Plan plan;
    private final Client client;
    private final Semaphore room;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastCompletedNanos = new AtomicLong();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    BenchPublisher(Plan plan, Client client) {
        this.plan = plan;
        this.client = client;
        this.room = new Semaphore(plan.window());
        this.thread = new Thread(this::run, "zzq-bench-pub-" + plan.index());
        thread.setDaemon(true);
    }

    /** Starts publishing on its own thread. */
    void start() {
        thread.start();
    }

    /** Stops handing over messages (those handed over still complete). */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** Whether it has handed over its last message. */
    boolean finished() {
        return !thread.isAlive();
    }

    /** Whether its client is connected. */
    boolean connected() {
        return client.isConnected();
    }

    /** Messages handed over and not yet completed. */
    int outstanding() {
        return plan.window() - room.availablePermits();
    }

    /** Messages sent: completed by the client. */
    long sent() {
        return sent.get();
    }

    /** Messages whose publish failed. */
    long failed() {
        return failed.get();
    }

    /** When the last message completed ({@link System#nanoTime()}), or 0. */
    long lastCompletedNanos() {
        return lastCompletedNanos.get();
    }

    /** Why the first failed publish failed, or {@code null}. */
    Throwable firstError() {
        return firstError.get();
    }

    private void run() {
        try {
            for (long sequence = 0; sequence < plan.count() && !stopped; sequence++) {
                if (plan.intervalNanos() > 0) {
                    waitUntil(plan.startNanos() + sequence * plan.intervalNanos());
                }
                if (!awaitRoom()) {
                    return;
                }
                if (stopped || pastDeadline()) {
                    room.release();
                    return;
                }
                publish(sequence);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread but the JVM's end
        }
    }

    private void publish(long sequence) {
        long now = System.nanoTime();
        ApplicationMessage message = ApplicationMessage.builder(plan.topic()).qos(plan.qos())
                .payload(new BenchStamp(plan.index(), sequence, now).payload(plan.runId(), plan.size())).build();
        client.publishAsync(message).whenComplete((result, error) -> {
            if (error == null) {
                sent.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstError.compareAndSet(null, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
            lastCompletedNanos.accumulateAndGet(System.nanoTime(), Math::max);
            room.release();
        });
    }

    /** Waits for room in the window; false when stopped or past the deadline meanwhile. */
    private boolean awaitRoom() throws InterruptedException {
        while (!room.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
            if (stopped || pastDeadline()) {
                return false;
            }
        }
        return true;
    }

    /** Parks until {@code due}, the deadline, or a stop. */
    private void waitUntil(long due) {
        long until = plan.timed() && due - plan.stopNanos() > 0 ? plan.stopNanos() : due;
        for (long left = until - System.nanoTime(); left > 0 && !stopped; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private boolean pastDeadline() {
        return plan.timed() && System.nanoTime() - plan.stopNanos() >= 0;
    }
}
