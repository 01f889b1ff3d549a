package zzq.engine.core;

/**
 * The lifecycle of one connection: accepted or dialed (NEW), exchanging CONNECT/CONNACK and any AUTH
 * (HANDSHAKING), carrying messages (READY), ended (CLOSED).
 */
public enum ConnectionState {
    NEW, HANDSHAKING, READY, CLOSED;

    /** Whether moving from this state to {@code next} is legal. */
    public boolean canMoveTo(ConnectionState next) {
        return switch (this) {
            case NEW -> next == HANDSHAKING || next == READY || next == CLOSED;
            case HANDSHAKING -> next == READY || next == CLOSED;
            case READY -> next == CLOSED;
            case CLOSED -> false;
        };
    }

    /** The state after a move to {@code next}, or an {@link IllegalStateException} naming the illegal move. */
    public ConnectionState moveTo(ConnectionState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("connection cannot go from " + this + " to " + next);
        }
        return next;
    }
}
