package zzq.engine.client;

/**
 * The lifecycle of a client across its connections: never connected (IDLE), dialing and handshaking
 * (CONNECTING), accepted by CONNACK (CONNECTED), waiting to dial again after a loss (RECONNECT_WAIT), ending a
 * connection on request (DISCONNECTING), and closed for good (CLOSED). After a disconnect the client is IDLE and
 * may connect again.
 */
enum ClientState {
    IDLE, CONNECTING, CONNECTED, RECONNECT_WAIT, DISCONNECTING, CLOSED;

    boolean canMoveTo(ClientState next) {
        return switch (this) {
            case IDLE -> next == CONNECTING || next == CLOSED;
            case CONNECTING -> next == CONNECTED || next == RECONNECT_WAIT || next == IDLE || next == DISCONNECTING
                    || next == CLOSED;
            case CONNECTED -> next == RECONNECT_WAIT || next == IDLE || next == DISCONNECTING || next == CLOSED;
            case RECONNECT_WAIT -> next == CONNECTING || next == IDLE || next == DISCONNECTING || next == CLOSED;
            case DISCONNECTING -> next == IDLE || next == CLOSED;
            case CLOSED -> false;
        };
    }

    ClientState moveTo(ClientState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("client cannot go from " + this + " to " + next);
        }
        return next;
    }
}
