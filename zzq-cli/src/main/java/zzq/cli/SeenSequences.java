package zzq.cli;

/**
 * Which sequence numbers (0, 1, 2...) of one publisher's messages a {@code zzq bench} subscriber has received, to
 * tell a first copy from a duplicate. A bit per sequence number over a sliding window: every number below the
 * window's start was received or given up on, and the bits of the window are kept in a ring of 64-bit words that
 * drops each word as soon as all its 64 messages have come. Messages arriving in order therefore use a word or two;
 * a gap (a lost message) holds the window open, and it grows to at most {@link #WINDOW} sequence numbers (32 KiB),
 * after which it slides on and the oldest gaps are given up.
 *
 * <p>The one inexactness: a message that arrives more than {@link #WINDOW} sequence numbers behind the newest one
 * seen from its publisher cannot be told from a duplicate, and counts as one (MQTT keeps each publisher's messages
 * in order, so such a straggler does not come in practice). Not thread-safe: its owner synchronizes.
 */
final class SeenSequences {
    /** The widest window, in sequence numbers: 4,096 words of 64 bits. */
    static final int WINDOW = 1 << 18;
    private static final int MAX_WORDS = WINDOW / 64;

    /** The ring: {@code used} words from {@code head}; every other word is zero. */
    private long[] words = new long[2];
    private int head;
    private int used;
    /** The sequence number of the first word's lowest bit: a multiple of 64. */
    private long base;
    private long distinct;
    private long duplicates;

    /**
     * Marks a sequence number as received.
     *
     * @return whether it is the first copy
     */
    boolean add(long sequence) {
        if (sequence < base) {
            duplicates++;
            return false;
        }
        long word = (sequence - base) >>> 6;
        if (word >= MAX_WORDS) {
            drop((int) Math.min(Integer.MAX_VALUE, word - MAX_WORDS + 1));
            word = (sequence - base) >>> 6;
        }
        extend((int) word + 1);
        int i = (head + (int) word) & (words.length - 1);
        long bit = 1L << (sequence & 63);
        if ((words[i] & bit) != 0) {
            duplicates++;
            return false;
        }
        words[i] |= bit;
        distinct++;
        while (used > 0 && words[head] == -1L) {
            drop(1); // all 64 came: nothing left to learn from this word
        }
        return true;
    }

    /** Different sequence numbers received. */
    long distinct() {
        return distinct;
    }

    /** Copies received of a sequence number already received. */
    long duplicates() {
        return duplicates;
    }

    /** Drops the first {@code n} words of the window (zeroing them) and moves its start past them. */
    private void drop(int n) {
        int zeroed = Math.min(n, used);
        for (int k = 0; k < zeroed; k++) {
            words[head] = 0;
            head = (head + 1) & (words.length - 1);
        }
        used -= zeroed;
        if (used == 0) {
            head = 0;
        }
        base += 64L * n;
    }

    /** Makes the window at least {@code n} words long, growing the ring (a power of two) when needed. */
    private void extend(int n) {
        if (n > words.length) {
            int capacity = Math.min(MAX_WORDS, Integer.highestOneBit(n - 1) << 1);
            long[] grown = new long[capacity];
            for (int k = 0; k < used; k++) {
                grown[k] = words[(head + k) & (words.length - 1)];
            }
            words = grown;
            head = 0;
        }
        used = Math.max(used, n);
    }
}
