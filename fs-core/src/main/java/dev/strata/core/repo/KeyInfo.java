package dev.strata.core.repo;

import java.time.Instant;

/**
 * A key file as `strata key list` shows it.
 *
 * @param damage why the key file cannot be used (damaged, truncated, beyond the Argon2 limits), or
 *               null when it can; a damaged key file has {@link Instant#EPOCH} and empty names
 */
public record KeyInfo(String id, Instant created, String host, String user, boolean current, String damage) {
    public KeyInfo(String id, Instant created, String host, String user, boolean current) {
        this(id, created, host, user, current, null);
    }

    static KeyInfo damaged(String id, String damage) {
        return new KeyInfo(id, Instant.EPOCH, "", "", false, damage);
    }
}
