package zzq.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a broker listens or a client dials: a URL whose scheme picks the transport.
 *
 * <p>Network endpoints look like {@code mqtt://host:port}, {@code mqtts://host}, {@code ws://host:port/path}:
 * the host may be a name, an IPv4 address, a bracketed IPv6 address ({@code [::1]}), or {@code *} for every
 * interface; the port may be left out (the transport's default) or be 0 (any free port, for a listener).
 * Local endpoints name a Unix domain socket: {@code ipc:///path/to/socket} or, for Linux's abstract namespace,
 * {@code ipc://@name}.
 *
 * <p>Parsing checks the shape only; whether a transport serves the scheme is the engine's question.
 *
 * @param scheme the scheme in lower case, such as {@code mqtt}
 * @param host   the host as written ({@code *} for all interfaces; IPv6 without brackets), or {@code null} for ipc
 * @param port   the port, 0 for any free port, or -1 when the URL gives none
 * @param path   the path (for ipc, the socket's file path or {@code @name}), or {@code ""} when there is none
 */
public record Endpoint(String scheme, String host, int port, String path) {
    /** The port value when the URL names none and the transport's default applies. */
    public static final int NO_PORT = -1;

    public Endpoint {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        if (scheme.isEmpty() || !scheme.equals(scheme.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("scheme must be non-empty lower case, not '" + scheme + "'");
        }
        if (port < NO_PORT || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        }
    }

    /**
     * Parses an endpoint URL.
     *
     * @throws IllegalArgumentException naming what is wrong: no scheme, a bad host or port, a missing ipc path
     */
    public static Endpoint parse(String url) {
        Objects.requireNonNull(url, "url");
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("endpoint '" + url + "' has no scheme: write it as scheme://..., "
                    + "for example mqtt://127.0.0.1:1883");
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            throw new IllegalArgumentException("endpoint '" + url + "' has an invalid scheme '" + scheme + "'");
        }
        String rest = url.substring(sep + 3);
        if (scheme.equals("ipc")) {
            return parseIpc(url, rest);
        }
        // '*' is not a legal URI host; stand in a placeholder so java.net.URI can parse the rest.
        boolean wildcard = rest.startsWith("*") && (rest.length() == 1 || ":/?".indexOf(rest.charAt(1)) >= 0);
        String forUri = scheme + "://" + (wildcard ? "0.0.0.0" + rest.substring(1) : rest);
        URI uri;
        try {
            uri = new URI(forUri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + url + "' is not a valid URL: " + e.getReason(), e);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + url + "' has no valid host"
                    + (uri.getRawAuthority() != null && uri.getPort() == -1 && uri.getRawAuthority().contains(":")
                    ? " or port" : ""));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("endpoint '" + url + "' must not carry user information; "
                    + "give credentials as connect options");
        }
        if (wildcard) {
            host = "*";
        } else if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path = path + "?" + uri.getRawQuery();
        }
        return new Endpoint(scheme, host, uri.getPort(), path);
    }

    private static Endpoint parseIpc(String url, String rest) {
        if (rest.startsWith("@")) {
            if (rest.length() == 1) {
                throw new IllegalArgumentException("endpoint '" + url + "' names no abstract socket after '@'");
            }
            return new Endpoint("ipc", null, NO_PORT, rest);
        }
        if (!rest.startsWith("/") || rest.length() == 1) {
            throw new IllegalArgumentException("endpoint '" + url + "' must name a socket file by absolute path, "
                    + "as ipc:///path/to/socket, or an abstract socket, as ipc://@name");
        }
        return new Endpoint("ipc", null, NO_PORT, rest);
    }

    /** Whether the host means every interface ({@code *}, {@code 0.0.0.0} or {@code ::}). */
    public boolean isWildcardHost() {
        return "*".equals(host) || "0.0.0.0".equals(host) || "::".equals(host) || "0:0:0:0:0:0:0:0".equals(host);
    }

    /** Whether this endpoint is a Linux abstract-namespace socket ({@code ipc://@name}). */
    public boolean isAbstractSocket() {
        return host == null && path.startsWith("@");
    }

    /** This endpoint with another port: how a listener reports the port it really bound when asked for 0. */
    public Endpoint withPort(int newPort) {
        return new Endpoint(scheme, host, newPort, path);
    }

    /** The port, or {@code defaultPort} when the URL gave none. */
    public int portOr(int defaultPort) {
        return port == NO_PORT ? defaultPort : port;
    }

    /** The URL form, which {@link #parse} reads back to an equal endpoint. */
    @Override
    public String toString() {
        if (host == null) {
            return scheme + "://" + path;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + (port == NO_PORT ? "" : ":" + port) + path;
    }
}
