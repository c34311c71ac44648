package dev.strata.sync.net;

import java.time.Duration;

/**
 * How long connections wait for what. Immutable.
 *
 * @param connect      a TCP connection to a peer's address
 * @param handshake    the TLS handshake and both hellos
 * @param ping         how often a side with nothing else to send says it is alive
 * @param idle         silence after which a connection is taken for dead (several pings)
 * @param answer       the longest wait for an answer to a request (a store may flush many chunks)
 * @param backoffFirst the wait before dialling a peer again after a failure, doubled per failure...
 * @param backoffMax   ...up to this
 */
public record Timings(Duration connect, Duration handshake, Duration ping, Duration idle, Duration answer,
                      Duration backoffFirst, Duration backoffMax) {
    public static final Timings DEFAULT = new Timings(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(15),
            Duration.ofSeconds(60), Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(60));

    public Timings {
        if (idle.compareTo(ping.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the idle timeout " + idle + " must be at least two pings (" + ping + ")");
        }
        if (backoffMax.compareTo(backoffFirst) < 0) {
            throw new IllegalArgumentException("backoff " + backoffFirst + ".." + backoffMax);
        }
    }
}
