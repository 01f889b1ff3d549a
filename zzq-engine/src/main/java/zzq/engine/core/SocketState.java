package zzq.engine.core;

/** The lifecycle of an engine's socket (the set of its listeners and connections). */
public enum SocketState {
    NEW, OPEN, CLOSING, CLOSED;

    /** Whether moving from this state to {@code next} is legal: forward only, NEW may close at once. */
    public boolean canMoveTo(SocketState next) {
        return switch (this) {
            case NEW -> next == OPEN || next == CLOSED;
            case OPEN -> next == CLOSING;
            case CLOSING -> next == CLOSED;
            case CLOSED -> false;
        };
    }
}
