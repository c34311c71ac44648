package dev.strata.snapshot.backup;

import dev.strata.snapshot.SnapshotId;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What to back up and how.
 *
 * @param paths         absolute paths to save (files or folders)
 * @param filter        what to leave out
 * @param excludes      the exclude options as given, recorded in the snapshot
 * @param host          the host name to record (null: this host)
 * @param time          the snapshot's time (null: now)
 * @param parent        the parent snapshot to compare with (null: the latest of the same host and paths)
 * @param noParent      read every file, ignoring earlier snapshots
 * @param threads       file-reading threads (0: one per core, at least 2)
 */
public record BackupRequest(List<Path> paths, PathFilter filter, List<String> excludes, boolean oneFileSystem,
                            List<String> tags, String host, Instant time, SnapshotId parent, boolean noParent,
                            int threads) {
    public BackupRequest {
        paths = List.copyOf(paths);
        excludes = List.copyOf(excludes);
        tags = List.copyOf(tags);
    }

    public static BackupRequest of(List<Path> paths) {
        return new BackupRequest(paths, PathFilter.NONE, List.of(), false, List.of(), null, null, null, false, 0);
    }

    public BackupRequest withTime(Instant t) {
        return new BackupRequest(paths, filter, excludes, oneFileSystem, tags, host, t, parent, noParent, threads);
    }

    public BackupRequest withTags(List<String> t) {
        return new BackupRequest(paths, filter, excludes, oneFileSystem, t, host, time, parent, noParent, threads);
    }

    public BackupRequest withFilter(PathFilter f, List<String> given) {
        return new BackupRequest(paths, f, given, oneFileSystem, tags, host, time, parent, noParent, threads);
    }

    public BackupRequest withParent(SnapshotId p, boolean none) {
        return new BackupRequest(paths, filter, excludes, oneFileSystem, tags, host, time, p, none, threads);
    }

    public BackupRequest withHost(String h) {
        return new BackupRequest(paths, filter, excludes, oneFileSystem, tags, h, time, parent, noParent, threads);
    }

    public BackupRequest withOneFileSystem(boolean b) {
        return new BackupRequest(paths, filter, excludes, b, tags, host, time, parent, noParent, threads);
    }
}
