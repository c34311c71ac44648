package dev.strata.snapshot.backup.filter;

/**
 * {@code --one-file-system}: whether an entry lives on the filesystem of the backup root. The walker
 * supplies device ids (e.g. the {@code "unix:dev"} attribute); make one per backup target, since
 * targets may sit on different filesystems. Immutable, thread-safe.
 *
 * <p>Recommended use, as restic and GNU tar do: a directory on another device is a mount point;
 * store it as an empty directory and do not descend into it.
 */
public final class SameFileSystem {
    private final long rootDevice;

    private SameFileSystem(long rootDevice) {
        this.rootDevice = rootDevice;
    }

    /** The filesystem of a backup target whose device id is {@code rootDevice}. */
    public static SameFileSystem of(long rootDevice) {
        return new SameFileSystem(rootDevice);
    }

    /** Whether an entry with device id {@code device} is on another filesystem than the root. */
    public boolean crossesBoundary(long device) {
        return device != rootDevice;
    }

    public long rootDevice() {
        return rootDevice;
    }

    @Override
    public String toString() {
        return "SameFileSystem[device=" + rootDevice + "]";
    }
}
