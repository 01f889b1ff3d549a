package zzq.cli;

import java.util.List;
import zzq.codec.QoS;

/**
 * What a {@code zzq bench} run measured.
 *
 * @param publishSeconds  from the start to the last publish's completion
 * @param receiveSeconds  from the start to the last message received (0 when none came)
 * @param sent            publishes the client completed (QoS 0 written, 1 acknowledged, 2 completed)
 * @param failed          publishes that failed, or were still not completed at the end of the drain
 * @param expected        sent × the subscribers whose filter matches each publisher's topic
 * @param received        messages of this run received, duplicates included
 * @param lost            expected messages that never came (per subscriber and publisher)
 * @param duplicates      copies received of a message already received
 * @param droppedByClient QoS 0 messages the subscribers' own clients dropped (buffer full); part of {@code lost}
 * @param foreign         messages received that were not this run's
 * @param deliveredQos    the QoS the messages travel to the subscribers with: the lower of the publishes' and
 *                        the least the broker granted
 * @param latency         the latency of every first copy received
 * @param seconds         the numbers of each whole second
 * @param problems        why the run failed, for the exit status; empty when it did not
 */
record BenchResult(double publishSeconds, double receiveSeconds, long sent, long failed, long expected,
                   long received, long lost, long duplicates, long droppedByClient, long foreign, QoS deliveredQos,
                   LatencyHistogram latency, List<Second> seconds, List<String> problems) {
    /** Messages completed per second of publishing. */
    double sendRate() {
        return publishSeconds > 0 ? sent / publishSeconds : 0;
    }

    /** Messages received per second, from the start to the last one. */
    double receiveRate() {
        return receiveSeconds > 0 ? received / receiveSeconds : 0;
    }

    /**
     * One second of the run.
     *
     * @param second   which (1 for the first)
     * @param sent     publishes completed in it
     * @param received messages received in it
     * @param p50      the median latency of the messages received in it, in nanoseconds; -1 (as the next two)
     *                 when none came
     * @param p99      their 99th percentile
     * @param max      their largest
     * @param draining whether the publishers had finished
     */
    record Second(int second, long sent, long received, long p50, long p99, long max, boolean draining) {
    }
}
