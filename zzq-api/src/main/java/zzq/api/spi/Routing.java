package zzq.api.spi;

/**
 * The role strategy of an engine: what a broker or a client does with MQTT connections. The engine owns sockets,
 * framing, keep alive and lifecycles; the routing owns the conversation: the handshake, sessions, subscriptions and
 * the QoS state machines.
 *
 * <p>Every call for one connection arrives on that connection's event loop, one at a time. A dialed connection
 * (a client's) gets its handler from the dial itself, since the dialer already knows which session it serves.
 */
public interface Routing extends AutoCloseable {
    /** A channel accepted by a listener: returns the handler of its packets (the broker reads CONNECT first). */
    PacketHandler accepted(Connection connection);

    /** The engine is closing: stop background work. Connections are closed by the engine after this returns. */
    @Override
    void close();
}
