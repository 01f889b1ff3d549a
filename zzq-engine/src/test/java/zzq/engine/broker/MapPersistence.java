package zzq.engine.broker;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import zzq.api.spi.Persistence;
import zzq.api.spi.StoredDelivery;
import zzq.api.spi.StoredMessage;
import zzq.api.spi.StoredSession;

/**
 * A durable backend in maps, for the broker's tests: it survives a broker (pass the same instance to the next one),
 * records every call, and can hold back {@link #whenDurable} actions to show that nothing is acknowledged before
 * the store says so. Payloads are copied on the way in, as a real backend must.
 */
final class MapPersistence implements Persistence {
    final Map<String, StoredMessage> retained = new ConcurrentHashMap<>();
    final Map<String, StoredSession> sessions = new ConcurrentHashMap<>();
    final Map<String, Set<Integer>> awaitingRelease = new ConcurrentHashMap<>();
    final Map<String, TreeMap<Long, StoredDelivery>> deliveries = new ConcurrentHashMap<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;

    @Override
    public boolean durable() {
        return true;
    }

    private static StoredMessage copy(StoredMessage m) {
        ByteBuffer payload = ByteBuffer.allocate(m.payload().remaining()).put(m.payload()).flip();
        return new StoredMessage(m.topic(), m.qos(), m.retain(), m.properties(), payload, m.expiresAtMillis());
    }

    @Override
    public List<StoredMessage> loadRetained() {
        return List.copyOf(retained.values());
    }

    @Override
    public void retain(StoredMessage message) {
        retained.put(message.topic(), copy(message));
    }

    @Override
    public void removeRetained(String topic) {
        retained.remove(topic);
    }

    @Override
    public List<StoredSession> loadSessions() {
        List<StoredSession> all = new ArrayList<>();
        for (StoredSession s : sessions.values()) {
            all.add(s.withAwaitingRelease(awaitingRelease.getOrDefault(s.clientId(), Set.of())));
        }
        return all;
    }

    @Override
    public synchronized List<StoredDelivery> loadDeliveries(String clientId) {
        return List.copyOf(deliveries.getOrDefault(clientId, new TreeMap<>()).values());
    }

    @Override
    public void saveSession(StoredSession session) {
        StoredSession kept = session.will() == null ? session : new StoredSession(session.clientId(),
                session.protocolLevel(), session.expiryIntervalSeconds(), session.disconnectedAtMillis(),
                session.subscriptions(), Set.of(), new zzq.api.spi.StoredWill(copy(session.will().message()),
                session.will().publishAtMillis()), session.username(), session.transportIdentity());
        sessions.put(session.clientId(), kept);
    }

    @Override
    public synchronized void removeSession(String clientId) {
        sessions.remove(clientId);
        awaitingRelease.remove(clientId);
        deliveries.remove(clientId);
    }

    @Override
    public synchronized void addAwaitingRelease(String clientId, int packetId) {
        awaitingRelease.computeIfAbsent(clientId, k -> new HashSet<>()).add(packetId);
    }

    @Override
    public synchronized void removeAwaitingRelease(String clientId, int packetId) {
        Set<Integer> ids = awaitingRelease.get(clientId);
        if (ids != null) {
            ids.remove(packetId);
        }
    }

    @Override
    public synchronized void saveDelivery(String clientId, StoredDelivery d) {
        deliveries.computeIfAbsent(clientId, k -> new TreeMap<>()).put(d.sequence(),
                new StoredDelivery(d.sequence(), d.packetId(), d.released(), d.messageId(), copy(d.message())));
    }

    @Override
    public synchronized void updateDelivery(String clientId, long sequence, int packetId, boolean released) {
        TreeMap<Long, StoredDelivery> of = deliveries.get(clientId);
        StoredDelivery d = of == null ? null : of.get(sequence);
        if (d != null) {
            of.put(sequence, new StoredDelivery(sequence, packetId, released, d.messageId(), d.message()));
        }
    }

    @Override
    public synchronized void removeDelivery(String clientId, long sequence) {
        TreeMap<Long, StoredDelivery> of = deliveries.get(clientId);
        if (of != null) {
            of.remove(sequence);
        }
    }

    /** The deliveries a session holds, in order. */
    synchronized List<StoredDelivery> deliveries(String clientId) {
        return loadDeliveries(clientId);
    }

    /** From now on, {@link #whenDurable} actions wait for {@link #release}. */
    synchronized void hold() {
        holding = true;
    }

    /** Runs the held actions, in order, and stops holding. */
    void release() {
        List<Runnable> actions;
        synchronized (this) {
            holding = false;
            actions = new ArrayList<>(held);
            held.clear();
        }
        actions.forEach(Runnable::run);
    }

    /** How many actions wait. */
    synchronized int heldCount() {
        return held.size();
    }

    @Override
    public void whenDurable(Runnable action) {
        synchronized (this) {
            if (holding) {
                held.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public void close() {
    }
}
