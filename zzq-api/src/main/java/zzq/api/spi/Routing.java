package zzq.api.spi;

/**
 * The role strategy of an engine: what a broker or a client does with MQTT connections. The engine owns sockets,
 * framing, keep alive and lifecycles; the routing owns the conversation: the handshake, sessions, subscriptions and
 * the QoS state machines.
 *
 * <p>Every call for one connection arrives on that connection's event loop, one at a time.
 */
public interface Routing extends AutoCloseable {
    /** A channel accepted by a listener: returns the handler of its packets (the broker reads CONNECT first). */
    PacketHandler accepted(Connection connection);

    /** A channel the engine dialed: returns the handler of its packets (the client writes CONNECT first). */
    default PacketHandler dialed(Connection connection) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not dial");
    }

    /** The engine is closing: stop background work. Connections are closed by the engine after this returns. */
    @Override
    void close();
}
