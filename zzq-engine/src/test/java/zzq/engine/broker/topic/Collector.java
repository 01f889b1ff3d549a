package zzq.engine.broker.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Test helper: a {@link MatchVisitor} that records what it is shown, with sorted views for assertions. */
final class Collector<S> implements MatchVisitor<S> {
    final List<Subscription<S>> subscriptions = new ArrayList<>();
    final List<SharedGroup<S>> groups = new ArrayList<>();

    @Override
    public void subscription(Subscription<S> subscription) {
        subscriptions.add(subscription);
    }

    @Override
    public void sharedGroup(SharedGroup<S> group) {
        groups.add(group);
    }

    static <S> Collector<S> match(TopicTree<S> tree, String topic) {
        Collector<S> c = new Collector<>();
        tree.match(topic, c);
        return c;
    }

    /** The non-shared matches as sorted "subscriber filter" strings, duplicates kept. */
    List<String> sorted() {
        List<String> out = new ArrayList<>();
        for (Subscription<S> s : subscriptions) {
            out.add(s.subscriber() + " " + s.filter());
        }
        out.sort(null);
        return out;
    }

    /** The shared matches as sorted "ShareName filter [members...]" strings. */
    List<String> sortedGroups() {
        List<String> out = new ArrayList<>();
        for (SharedGroup<S> g : groups) {
            TreeSet<String> members = new TreeSet<>();
            for (Subscription<S> m : g.members()) {
                members.add(String.valueOf(m.subscriber()));
            }
            out.add(g.shareName() + " " + g.filter() + " " + members);
        }
        out.sort(null);
        return out;
    }
}
