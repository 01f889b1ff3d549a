package zzq.engine;

/**
 * A snapshot of a broker's figures, the ones {@code $SYS/broker/...} publishes.
 *
 * @param uptimeSeconds        seconds since the broker started
 * @param clientsConnected     clients connected now
 * @param clientsTotal         sessions known: connected plus disconnected ones kept for later
 * @param clientsMaximum       the most clients connected at once
 * @param messagesReceived     packets received
 * @param messagesSent         packets sent
 * @param publishReceived      PUBLISH packets received
 * @param publishSent          PUBLISH packets sent
 * @param publishDropped       messages not delivered to a subscriber because a limit was reached (queue full,
 *                             packet too big for it, expired)
 * @param bytesReceived        bytes received
 * @param bytesSent            bytes sent
 * @param subscriptions        subscriptions held
 * @param retainedMessages     retained messages held
 * @param storedMessages       messages queued or in flight in sessions
 * @param publishersPaused     times a publisher's socket stopped being read because a subscriber's queue was full
 */
public record BrokerStatistics(long uptimeSeconds, long clientsConnected, long clientsTotal, long clientsMaximum,
                               long messagesReceived, long messagesSent, long publishReceived, long publishSent,
                               long publishDropped, long bytesReceived, long bytesSent, long subscriptions,
                               long retainedMessages, long storedMessages, long publishersPaused) {
}
