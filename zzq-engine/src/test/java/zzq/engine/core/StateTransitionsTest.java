package zzq.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every pair of states, checked against the legal moves written out here independently of the enums. */
@Timeout(10)
class StateTransitionsTest {
    @Test
    @DisplayName("SocketState: forward only (NEW may close at once), every other move refused")
    void socketStates() {
        Map<SocketState, Set<SocketState>> legal = Map.of(
                SocketState.NEW, EnumSet.of(SocketState.OPEN, SocketState.CLOSED),
                SocketState.OPEN, EnumSet.of(SocketState.CLOSING),
                SocketState.CLOSING, EnumSet.of(SocketState.CLOSED),
                SocketState.CLOSED, EnumSet.noneOf(SocketState.class));
        int checked = 0;
        for (SocketState from : SocketState.values()) {
            for (SocketState to : SocketState.values()) {
                assertEquals(legal.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
                checked++;
            }
        }
        assertEquals(16, checked);
    }

    @Test
    @DisplayName("ConnectionState: NEW -> HANDSHAKING/READY/CLOSED, HANDSHAKING -> READY/CLOSED, READY -> CLOSED")
    void connectionStates() {
        Map<ConnectionState, Set<ConnectionState>> legal = Map.of(
                ConnectionState.NEW, EnumSet.of(ConnectionState.HANDSHAKING, ConnectionState.READY,
                        ConnectionState.CLOSED),
                ConnectionState.HANDSHAKING, EnumSet.of(ConnectionState.READY, ConnectionState.CLOSED),
                ConnectionState.READY, EnumSet.of(ConnectionState.CLOSED),
                ConnectionState.CLOSED, EnumSet.noneOf(ConnectionState.class));
        int refused = 0;
        for (ConnectionState from : ConnectionState.values()) {
            for (ConnectionState to : ConnectionState.values()) {
                boolean ok = legal.get(from).contains(to);
                assertEquals(ok, from.canMoveTo(to), from + " -> " + to);
                if (ok) {
                    assertEquals(to, from.moveTo(to));
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> from.moveTo(to));
                    assertTrue(e.getMessage().contains(from + " to " + to), e.getMessage());
                    refused++;
                }
            }
        }
        assertEquals(16 - 6, refused);
    }
}
