package dev.strata.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Room on the disk for an LMDB environment's next commits: its data file is kept a few MiB longer
 * than the pages LMDB uses, in zeros, so that a commit writes new pages into space the file already
 * has. When a program fills the disk, the commits that record what it did still succeed, as a local
 * filesystem keeps room for its own metadata. Only for an environment with one writing process, and
 * only called while that process has no transaction in it. Confined to the caller's thread.
 */
final class DiskReserve {
    private static final int ZEROS = 64 << 10;

    private final Path dataFile;
    private final long bytes;

    /** A reserve of {@code bytes} past the used pages of {@code lmdb}'s data file. */
    DiskReserve(LmdbEnvironment lmdb, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a reserve of " + bytes + " bytes");
        }
        this.dataFile = lmdb.folder().resolve("data.mdb");
        this.bytes = bytes;
    }

    /** Whether less than half the reserve is left past {@code used} bytes (the pages in use). */
    boolean isLow(long used) {
        try {
            return Files.size(dataFile) - used < bytes / 2;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Lengthens the data file to {@code used} bytes (the pages in use) and the reserve. Only bytes past
     * the file's end are written: LMDB has not written there. On a disk without room what fits stays
     * reserved, and the next commits use it up.
     */
    void topUp(long used) {
        try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.WRITE)) {
            long at = ch.size();
            long want = used + bytes;
            ByteBuffer zeros = ByteBuffer.allocate(ZEROS);
            while (at < want) {
                zeros.clear().limit((int) Math.min(ZEROS, want - at));
                at += ch.write(zeros, at);
            }
        } catch (IOException full) {
            // A full disk: the room already there is what there is.
        }
    }
}
