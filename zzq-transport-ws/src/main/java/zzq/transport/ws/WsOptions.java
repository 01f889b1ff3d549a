package zzq.transport.ws;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import zzq.api.spi.TransportOption;

/**
 * The settings of the WebSocket transport ({@code ws://}, {@code wss://}), given to {@code Broker.bind(url,
 * options)} or {@code ClientOptions.builder().transportOptions(options)}; for example
 * {@code TransportOptions.NONE.with(WsOptions.ORIGINS, Set.of("https://app.example.com"))}.
 *
 * <p>The URL's path is the WebSocket path: a listener bound to {@code ws://0.0.0.0:8080/mqtt} answers an upgrade
 * request for {@code /mqtt} only (anything else: HTTP 404), and one bound with no path answers every path. A client
 * dials the URL's path, {@code /} when it has none. {@code wss://} takes the TLS settings of
 * {@code zzq.transport.tls.TlsOptions} as well.
 */
public final class WsOptions {
    /** What {@link #MAX_FRAME_SIZE} is when not set: 1 MiB, the broker's default Maximum Packet Size. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
    /** What {@link #HANDSHAKE_TIMEOUT} is when not set. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The largest WebSocket frame payload read, in bytes; a bigger one ends the connection with close code 1009
     * (message too big). The transport sends no bigger frame either: a longer write goes out as several binary
     * frames (MQTT does not care where frames end). Default {@value #DEFAULT_MAX_FRAME_SIZE}: raise it with the
     * broker's or client's maximum packet size, since many peers (MQTT.js, Paho) send each MQTT packet as one
     * frame.
     */
    public static final TransportOption<Integer> MAX_FRAME_SIZE =
            new TransportOption<>("ws.maxFrameSize", Integer.class);

    /**
     * Listener: the only {@code Origin}s whose upgrade requests are accepted, as browsers send them (such as
     * {@code https://app.example.com} or {@code http://localhost:8080}; compared without regard to case); a
     * request from any other origin is answered HTTP 403. Requests with no {@code Origin} header, which only
     * non-browser clients make, are not checked. Not set or empty: every origin is accepted.
     */
    public static final TransportOption<Set<String>> ORIGINS = new TransportOption<>("ws.origins", setOfStrings());

    /**
     * Client: extra HTTP headers for the upgrade request, such as {@code Authorization} for a proxy or gateway
     * in front of the broker. The WebSocket headers themselves ({@code Upgrade}, {@code Sec-WebSocket-*}) are the
     * transport's and cannot be replaced.
     */
    public static final TransportOption<Map<String, String>> HEADERS =
            new TransportOption<>("ws.headers", mapOfStrings());

    /**
     * Sends a WebSocket ping after this long without sending anything, so that proxies and load balancers with an
     * idle timeout keep the connection open even when the MQTT keep alive is longer than their timeout. Not set:
     * no pings are sent (pings from the peer are always answered). Browsers and most clients answer pings; the
     * Eclipse Paho Java client (1.2.5) does not: it drops the connection on any frame but a binary or close frame,
     * so leave this unset on listeners that Paho clients use, and rely on the MQTT keep alive there.
     */
    public static final TransportOption<Duration> PING_INTERVAL =
            new TransportOption<>("ws.pingInterval", Duration.class);

    /**
     * How long the HTTP upgrade may take, from TCP connect to the switch to WebSocket frames, on either side.
     * Default 10 seconds.
     */
    public static final TransportOption<Duration> HANDSHAKE_TIMEOUT =
            new TransportOption<>("ws.handshakeTimeout", Duration.class);

    private WsOptions() {
    }

    @SuppressWarnings("unchecked")
    private static Class<Set<String>> setOfStrings() {
        return (Class<Set<String>>) (Class<?>) Set.class;
    }

    @SuppressWarnings("unchecked")
    private static Class<Map<String, String>> mapOfStrings() {
        return (Class<Map<String, String>>) (Class<?>) Map.class;
    }
}
