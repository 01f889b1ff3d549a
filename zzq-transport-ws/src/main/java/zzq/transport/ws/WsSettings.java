package zzq.transport.ws;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import zzq.api.spi.TransportOptions;

/**
 * The {@link WsOptions} of one bind or dial, checked, with their defaults filled in.
 *
 * @param maxFrameSize     the largest frame payload read and sent
 * @param origins          the allowed origins in lower case; empty for any
 * @param headers          the extra headers of a client's upgrade request
 * @param pingInterval     the write silence after which a ping goes out, or {@code null} for none
 * @param handshakeTimeout how long the HTTP upgrade may take
 */
record WsSettings(int maxFrameSize, Set<String> origins, Map<String, String> headers, Duration pingInterval,
                  Duration handshakeTimeout) {

    /**
     * Reads and checks the options.
     *
     * @throws IllegalArgumentException naming the option whose value is wrong
     */
    static WsSettings of(TransportOptions options) {
        int maxFrameSize = options.get(WsOptions.MAX_FRAME_SIZE).orElse(WsOptions.DEFAULT_MAX_FRAME_SIZE);
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException(WsOptions.MAX_FRAME_SIZE + " must be at least 1 byte, not "
                    + maxFrameSize);
        }
        Set<String> origins = options.get(WsOptions.ORIGINS).orElse(Set.of()).stream()
                .map((Object o) -> stringIn(WsOptions.ORIGINS.name(), o).toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        Map<String, String> headers = new LinkedHashMap<>();
        options.get(WsOptions.HEADERS).orElse(Map.of()).forEach((Object name, Object value) -> headers.put(
                stringIn(WsOptions.HEADERS.name(), name), stringIn(WsOptions.HEADERS.name(), value)));
        Duration ping = options.get(WsOptions.PING_INTERVAL).orElse(null);
        if (ping != null) {
            positive(WsOptions.PING_INTERVAL.name(), ping);
        }
        Duration handshake = positive(WsOptions.HANDSHAKE_TIMEOUT.name(),
                options.get(WsOptions.HANDSHAKE_TIMEOUT).orElse(WsOptions.DEFAULT_HANDSHAKE_TIMEOUT));
        return new WsSettings(maxFrameSize, origins, Map.copyOf(headers), ping, handshake);
    }

    private static String stringIn(String option, Object value) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(option + " holds strings only, not "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        return s;
    }

    private static Duration positive(String option, Duration d) {
        if (d.isNegative() || d.isZero() || d.toMillis() < 1) {
            throw new IllegalArgumentException(option + " must be at least 1 ms, not " + d);
        }
        return d;
    }
}
