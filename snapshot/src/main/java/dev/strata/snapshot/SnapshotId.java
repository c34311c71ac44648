package dev.strata.snapshot;

import dev.strata.core.id.Id32;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A snapshot's id: the SHA-256 of its stored record (docs/format.md §11). Immutable, thread-safe. */
public final class SnapshotId extends Id32 {
    private SnapshotId(byte[] bytes) {
        super(bytes);
    }

    public static SnapshotId of(byte[] bytes) {
        return new SnapshotId(bytes);
    }

    public static SnapshotId parse(String hex) {
        return new SnapshotId(parseHex(hex, "snapshot id"));
    }

    /** The id of a record whose stored bytes are {@code envelope}. */
    public static SnapshotId ofRecord(byte[] envelope) {
        try {
            return new SnapshotId(MessageDigest.getInstance("SHA-256").digest(envelope));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
