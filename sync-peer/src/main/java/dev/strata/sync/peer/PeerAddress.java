package dev.strata.sync.peer;

import java.net.InetSocketAddress;

/**
 * Where a peer listens: a host name or IP address and a TCP port, written {@code HOST:PORT}
 * ({@code [v6-address]:PORT} for IPv6). Resolved only when dialled, so a name can follow a peer's
 * moves. Immutable.
 */
public record PeerAddress(String host, int port) {
    public PeerAddress {
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("not a host name or address: '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a TCP port: " + port + " (0..65535)");
        }
    }

    /** Reads {@code HOST:PORT} or {@code [IPV6]:PORT}; a message saying what is wrong otherwise. */
    public static PeerAddress parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("not HOST:PORT: '" + text + "' (an IPv6 address is written [ADDRESS]:PORT)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("not HOST:PORT: '" + text + "'");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (!port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("not a TCP port: '" + port + "' in '" + text + "'");
        }
        return new PeerAddress(host, Integer.parseInt(port));
    }

    /** A socket address to connect to or bind (resolving the name now). */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
