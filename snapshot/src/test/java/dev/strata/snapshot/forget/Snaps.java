package dev.strata.snapshot.forget;

import dev.strata.core.id.ChunkId;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotId;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.SnapshotSummary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Snapshots for retention tests, named: the id holds the name's bytes, so {@link #nameOf} reads it
 * back and ids order like names of equal length. Stateless.
 */
final class Snaps {
    private static final ChunkId TREE = ChunkId.of(new byte[32]);

    private Snaps() {
    }

    static Snapshot snapshot(String name, Instant time, SnapshotKind kind, String host, List<String> paths,
                             List<String> tags) {
        return new Snapshot(idOf(name), kind, time, host, "ana", 1000, 1000, paths, tags, null, TREE, List.of(),
                SnapshotSummary.NONE, null);
    }

    static Snapshot snapshot(String name, Instant time) {
        return snapshot(name, time, SnapshotKind.BACKUP, "laptop", List.of("/home"), List.of());
    }

    static SnapshotId idOf(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 32) {
            throw new IllegalArgumentException("name too long: " + name);
        }
        return SnapshotId.of(Arrays.copyOf(bytes, 32));
    }

    static String nameOf(Snapshot s) {
        byte[] bytes = s.id().bytes();
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }
}
