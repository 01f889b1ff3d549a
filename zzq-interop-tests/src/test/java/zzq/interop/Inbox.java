package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What a peer's callback thread received, for the test thread to take in order, with a timeout. */
final class Inbox<T> {
    private final String owner;
    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();

    Inbox(String owner) {
        this.owner = owner;
    }

    void add(T item) {
        queue.add(item);
    }

    /** The next item; fails if none comes within {@link BrokerFixture#WAIT_SECONDS}. */
    T next() throws InterruptedException {
        T item = queue.poll(BrokerFixture.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(item, owner + " received no message within " + BrokerFixture.WAIT_SECONDS + " s");
        return item;
    }
}
