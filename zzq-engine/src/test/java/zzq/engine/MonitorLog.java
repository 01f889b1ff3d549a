package zzq.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Collects a broker's monitor events and waits for one that matches. */
public final class MonitorLog implements Consumer<MonitorEvent> {
    private final List<MonitorEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(MonitorEvent e) {
        events.add(e);
        notifyAll();
    }

    /** Every event so far, in order. */
    public synchronized List<MonitorEvent> events() {
        return List.copyOf(events);
    }

    /** The first event of this type that matches, waiting for it up to {@code timeout}. */
    public synchronized <T extends MonitorEvent> T await(Class<T> type, Predicate<? super T> test, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (MonitorEvent e : events) {
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

    /** The first event of this type, waiting for it. */
    public <T extends MonitorEvent> T await(Class<T> type) throws InterruptedException {
        return await(type, e -> true, Clients.WAIT);
    }

    /** How many events of this type so far. */
    public synchronized long count(Class<? extends MonitorEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }
}
