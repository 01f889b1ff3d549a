package zzq.cli;

import java.nio.ByteBuffer;

/**
 * What each {@code zzq bench} payload begins with, so that a subscriber can tell whose message it is, which one,
 * and how long it took: the run's identifier (messages of another run, or other traffic on the topics, are not
 * counted), the publisher's index, its sequence number, and when it was handed to the client
 * ({@link System#nanoTime()}: publishers and subscribers share one process, hence one clock). Big-endian, 24 bytes;
 * the rest of the payload is zeros.
 *
 * @param publisher the publisher's index, from 0
 * @param sequence  the message's number among that publisher's, from 0
 * @param sentNanos when it was handed to the client, in {@link System#nanoTime()}'s terms
 */
record BenchStamp(int publisher, long sequence, long sentNanos) {
    /** The stamp's length: the least payload size. */
    static final int LENGTH = 24;

    /** A payload of {@code size} bytes (at least {@link #LENGTH}) that begins with this stamp. */
    byte[] payload(int runId, int size) {
        byte[] payload = new byte[size];
        ByteBuffer.wrap(payload).putInt(runId).putInt(publisher).putLong(sequence).putLong(sentNanos);
        return payload;
    }

    /** The stamp a payload begins with, or {@code null} when it is no message of this run's. */
    static BenchStamp read(ByteBuffer payload, int runId) {
        int at = payload.position();
        if (payload.remaining() < LENGTH || payload.getInt(at) != runId) {
            return null;
        }
        int publisher = payload.getInt(at + 4);
        long sequence = payload.getLong(at + 8);
        return publisher < 0 || sequence < 0 ? null : new BenchStamp(publisher, sequence, payload.getLong(at + 16));
    }
}
