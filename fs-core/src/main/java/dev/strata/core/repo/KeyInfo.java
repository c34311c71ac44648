package dev.strata.core.repo;

import java.time.Instant;

/** A key file as `strata key list` shows it. */
public record KeyInfo(String id, Instant created, String host, String user, boolean current) {
}
