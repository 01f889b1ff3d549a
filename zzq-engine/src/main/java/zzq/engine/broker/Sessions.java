package zzq.engine.broker;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import zzq.api.spi.ClientIdentity;
import zzq.codec.ReasonCode;

/**
 * Every session the broker holds, by client identifier: connected ones and disconnected ones waiting for their
 * client or their expiry. Decides takeover and resumption (MQTT 5.0 section 3.1.4: a second connection with a client
 * identifier in use closes the first, with DISCONNECT 0x8E Session taken over).
 */
final class Sessions {
    private final BrokerRouting broker;
    private final ConcurrentMap<String, Session> byClientId = new ConcurrentHashMap<>();

    Sessions(BrokerRouting broker) {
        this.broker = broker;
    }

    /**
     * Finds or makes the session of a connecting client, takes it over from any connection holding it, moves it to
     * the new connection's loop, and then calls {@code ready} there with the session and Session Present.
     */
    void open(String clientId, boolean cleanStart, ClientConnection conn, ClientIdentity who,
              BiConsumer<Session, Boolean> ready) {
        EventExecutor newLoop = conn.loop();
        Session fresh = new Session(clientId, broker, newLoop, who);
        Session[] previous = new Session[1];
        Session kept = byClientId.compute(clientId, (id, old) -> {
            previous[0] = old;
            return old == null || cleanStart || old.isEnded() ? fresh : old;
        });
        Session old = previous[0];
        if (kept == fresh) {
            if (old == null) {
                ready.accept(fresh, false);
            } else {
                // a clean start ends the old session: its connection is taken over, its will goes now
                old.execute(() -> {
                    takeOver(old);
                    old.end();
                    newLoop.execute(() -> ready.accept(fresh, false));
                });
            }
            return;
        }
        kept.execute(() -> {
            takeOver(kept);
            if (kept.isEnded()) {
                // it expired meanwhile: start afresh (rare: the expiry raced this connect)
                // (its end may already have removed it: the taken-over connection's detach ends a 0-expiry session)
                byClientId.compute(clientId, (id, cur) -> cur == kept || cur == null ? fresh : cur);
                newLoop.execute(() -> ready.accept(fresh, false));
                return;
            }
            kept.moveTo(newLoop);
            newLoop.execute(() -> ready.accept(kept, true));
        });
    }

    /** Closes the connection that holds the session, if any, with 0x8E (its will follows the usual rules). */
    private static void takeOver(Session s) {
        ClientConnection holder = s.connection();
        if (holder != null) {
            holder.takenOver();
        }
    }

    /** Ends a session for good and forgets it (its expiry came, or it was clean). On the session's loop. */
    void endSession(Session s) {
        s.end();
        byClientId.remove(s.clientId, s);
    }

    /** Sessions held, connected or not. */
    int count() {
        return byClientId.size();
    }

    /** Messages queued or in flight across sessions (a racy sum, for {@code $SYS}). */
    long held() {
        long n = 0;
        for (Session s : byClientId.values()) {
            n += s.backlog();
        }
        return n;
    }

    /** Ends every session (the broker closes): releases every held message. */
    void closeAll() {
        for (Session s : byClientId.values()) {
            s.execute(() -> {
                ClientConnection c = s.connection();
                if (c != null) {
                    c.closeWith(ReasonCode.SERVER_SHUTTING_DOWN, "the server is shutting down");
                }
                s.end(false);
            });
        }
        byClientId.clear();
    }

    /** Holds a session read back from the store at start. */
    void restore(Session s) {
        byClientId.put(s.clientId, s);
    }

    Session get(String clientId) {
        return byClientId.get(clientId);
    }
}
