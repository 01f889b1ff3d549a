package zzq.engine;

import java.net.SocketAddress;
import zzq.api.Endpoint;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;

/**
 * What happens to a broker's or a client's sockets and connections, as a typed stream (see
 * {@link Broker#onMonitorEvent} and {@link Client#onMonitorEvent}). The names follow the zzq family's monitor
 * events; {@link MessageReceived} and {@link MessageSent} go only to verbose monitors. A client emits
 * {@link ConnectRetried}, {@link Connected}, {@link Disconnected}, {@link ReconnectStopped} and
 * {@link Closed}.
 */
public sealed interface MonitorEvent {
    /** A listener is bound and accepting. */
    record Listening(Endpoint endpoint) implements MonitorEvent {
    }

    /** A bind failed. */
    record BindFailed(Endpoint endpoint, Throwable error) implements MonitorEvent {
    }

    /** A listener stopped accepting. */
    record ListenerClosed(Endpoint endpoint) implements MonitorEvent {
    }

    /** A listener accepted a connection; its MQTT handshake begins. */
    record Accepted(long connectionId, Endpoint endpoint, SocketAddress remoteAddress) implements MonitorEvent {
    }

    /** A connection was refused before its handshake, because the broker is at its connection limit. */
    record ConnectionRejected(long connectionId, Endpoint endpoint, SocketAddress remoteAddress, String why)
            implements MonitorEvent {
    }

    /** The MQTT handshake succeeded (CONNECT accepted with CONNACK). */
    record HandshakeSucceeded(long connectionId, SocketAddress remoteAddress, String clientId, MqttVersion version)
            implements MonitorEvent {
    }

    /** The MQTT handshake failed: a refusal in CONNACK, a malformed CONNECT, a timeout, or a lost link. */
    record HandshakeFailed(long connectionId, SocketAddress remoteAddress, String clientId, ReasonCode reasonCode,
                           String detail) implements MonitorEvent {
    }

    /** A connection that completed its handshake ended. */
    record Disconnected(long connectionId, SocketAddress remoteAddress, String clientId, ReasonCode reasonCode,
                        boolean byPeer, String detail) implements MonitorEvent {
    }

    /**
     * A client's connect attempt failed, and it tries again after {@code delay}.
     *
     * @param endpoint the endpoint that failed
     * @param attempt  how many attempts in a row have failed
     * @param delay    the wait before the next attempt
     * @param error    why the attempt failed
     */
    record ConnectRetried(Endpoint endpoint, int attempt, java.time.Duration delay, Throwable error)
            implements MonitorEvent {
    }

    /**
     * A client stopped reconnecting: the broker refused in a way another attempt would only repeat (bad
     * credentials, not authorized, banned, session taken over...). Waiting operations have failed; the client stays
     * usable through a new {@link Client#connect}.
     */
    record ReconnectStopped(Endpoint endpoint, Throwable reason) implements MonitorEvent {
    }

    /** A client's connect succeeded: CONNACK accepted it, resuming a session or not. */
    record Connected(Endpoint endpoint, String clientId, boolean sessionPresent) implements MonitorEvent {
    }

    /** A PUBLISH arrived from a client; only for monitors that asked for verbose events. */
    record MessageReceived(long connectionId, String clientId, String topic, QoS qos, boolean retain,
                           int payloadSize) implements MonitorEvent {
    }

    /** A PUBLISH was written to a client; only for monitors that asked for verbose events. */
    record MessageSent(long connectionId, String clientId, String topic, QoS qos, boolean retain,
                       int payloadSize) implements MonitorEvent {
    }

    /** The engine closed: no events follow. */
    record Closed() implements MonitorEvent {
    }
}
