package zzq.engine.broker.topic;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import zzq.codec.Topics;

/**
 * A shared subscription group ({@code $share/{ShareName}/{filter}}) and its members, as one immutable snapshot.
 *
 * <p>The tree replaces the whole group object whenever a member joins, leaves or changes options, so a
 * {@link MatchVisitor} that receives a group may read {@link #size()} and {@link #member(int)} without any
 * risk of them disagreeing.
 *
 * @param <S> the subscriber handle type
 */
public final class SharedGroup<S> {
    private final String shareName;
    private final String filter;
    private final Subscription<S>[] members;
    private final List<Subscription<S>> memberList;

    SharedGroup(String shareName, String filter, Subscription<S>[] members) {
        this.shareName = shareName;
        this.filter = filter;
        this.members = members;
        this.memberList = Collections.unmodifiableList(Arrays.asList(members));
    }

    /** The ShareName. */
    public String shareName() {
        return shareName;
    }

    /** The topic filter the group matches, without the {@code $share/{ShareName}/} prefix. */
    public String filter() {
        return filter;
    }

    /** The number of members; at least one (an empty group is removed from the tree). */
    public int size() {
        return members.length;
    }

    /** The member at {@code index}, in the order the members joined (a replaced member keeps its place). */
    public Subscription<S> member(int index) {
        return members[index];
    }

    /** The members, as an unmodifiable list in the order of {@link #member(int)}. */
    public List<Subscription<S>> members() {
        return memberList;
    }

    Subscription<S>[] memberArray() {
        return members;
    }

    @Override
    public String toString() {
        return "SharedGroup[" + Topics.SHARE_PREFIX + shareName + '/' + filter + ", members=" + memberList + ']';
    }
}
