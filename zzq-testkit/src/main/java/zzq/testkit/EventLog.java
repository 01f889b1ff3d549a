package zzq.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Collects events (a broker's or a client's monitor events, say) from any thread, and lets a test wait for one
 * that matches instead of sleeping.
 *
 * @param <E> the type of event
 */
public class EventLog<E> implements Consumer<E> {
    private final List<E> events = new ArrayList<>();

    @Override
    public synchronized void accept(E e) {
        events.add(e);
        notifyAll();
    }

    /** Every event so far, in order. */
    public synchronized List<E> events() {
        return List.copyOf(events);
    }

    /** The first event of this type that matches, waiting for it up to {@code timeout}. */
    public synchronized <T extends E> T await(Class<T> type, Predicate<? super T> test, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (E e : events) {
                if (type.isInstance(e) && test.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + type.getSimpleName() + " as expected within " + timeout
                        + "; events: " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** How many events of this type so far. */
    public synchronized long count(Class<? extends E> type) {
        return events.stream().filter(type::isInstance).count();
    }
}
