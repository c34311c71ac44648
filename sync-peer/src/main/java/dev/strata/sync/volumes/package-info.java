/**
 * Shared volumes between devices: the file records of a volume sent to the peers it is shared with
 * (their chunks first, through the chunk exchange), a peer's records applied by the conflict rule, and
 * a joining device given a volume's keys. Sits on {@code net}, {@code chunks} and {@code wire}.
 */
package dev.strata.sync.volumes;
