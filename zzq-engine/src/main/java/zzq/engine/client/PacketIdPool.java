package zzq.engine.client;

import java.util.BitSet;

/**
 * The packet identifiers in use by one client session (PUBLISH, SUBSCRIBE and UNSUBSCRIBE share one space,
 * MQTT-2.2.1-3). Hands out the next free one after the last, so a freed identifier is not reused at once.
 * Confined to the client's event loop.
 */
final class PacketIdPool {
    private final BitSet used = new BitSet(65_536);
    private int last;
    private int inUse;

    /** A free identifier, 1 to 65 535, now in use; 0 when all 65 535 are taken. */
    int take() {
        if (inUse == 65_535) {
            return 0;
        }
        int id = used.nextClearBit(last + 1);
        if (id > 65_535) {
            id = used.nextClearBit(1);
        }
        used.set(id);
        inUse++;
        last = id;
        return id;
    }

    void release(int id) {
        if (id > 0 && used.get(id)) {
            used.clear(id);
            inUse--;
        }
    }

    int inUse() {
        return inUse;
    }
}
