package zzq.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The durable part of a session, without its message queue (stored entry by entry, see {@link Persistence}).
 *
 * @param clientId              the client identifier
 * @param protocolLevel         the protocol level the client last connected with (3, 4 or 5)
 * @param expiryIntervalSeconds the Session Expiry Interval; {@code 0xFFFFFFFFL} for never
 * @param disconnectedAtMillis  when the client disconnected, in epoch milliseconds, or 0 while connected (a broker
 *                              that stops while the client is connected counts the expiry from its next start)
 * @param subscriptions         the subscriptions
 * @param awaitingRelease       packet identifiers of QoS 2 messages received and not yet released (PUBREL); filled
 *                              by {@link Persistence#loadSessions()}, ignored by {@link Persistence#saveSession}
 * @param will                  the will waiting for its delay, or {@code null}
 * @param username              the user name the client last connected with, or {@code null}: with
 *                              {@code transportIdentity}, what the authorizer sees for the session while its client
 *                              is away after a restart
 * @param transportIdentity     the transport's identity of the client (a TLS client certificate's subject), or
 *                              {@code null}
 */
public record StoredSession(String clientId, int protocolLevel, long expiryIntervalSeconds,
                            long disconnectedAtMillis, List<StoredSubscription> subscriptions,
                            Set<Integer> awaitingRelease, StoredWill will, String username,
                            String transportIdentity) {
    public StoredSession {
        Objects.requireNonNull(clientId, "clientId");
        subscriptions = List.copyOf(subscriptions);
        awaitingRelease = Set.copyOf(awaitingRelease);
    }

    /** This session with these awaiting-release identifiers (a backend's loading). */
    public StoredSession withAwaitingRelease(Set<Integer> ids) {
        return new StoredSession(clientId, protocolLevel, expiryIntervalSeconds, disconnectedAtMillis, subscriptions,
                ids, will, username, transportIdentity);
    }
}
