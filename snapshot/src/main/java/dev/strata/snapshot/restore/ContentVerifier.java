package dev.strata.snapshot.restore;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;
import dev.strata.core.chunk.ZeroDetector;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.posix.Extent;
import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a restored file against its chunk references: each region must hold its chunk's content and
 * each hole must read as zeros. Thread-safe.
 */
final class ContentVerifier {
    private static final int MAX_READ = PendingFile.MAX_WRITE;

    private final ChunkStore store;
    private final Posix posix;

    ContentVerifier(ChunkStore store, Posix posix) {
        this.store = store;
        this.posix = posix;
    }

    /**
     * Re-reads a restored file and checks each region against its chunk id. Holes must read as
     * zeros: only the parts of a hole the filesystem holds data for are read, so a huge sparse file
     * costs what it stores, not its size.
     */
    void verify(Path path, List<ChunkRef> refs, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(path)) {
            if (ch.size() != size) {
                throw new CorruptDataException(path + " has " + ch.size() + " bytes after restore, expected " + size);
            }
            List<Extent> stored = null;
            long offset = 0;
            for (ChunkRef r : refs) {
                if (r.isHole()) {
                    if (stored == null) {
                        stored = posix.dataExtents(path);
                    }
                    verifyHole(ch, path, stored, offset, offset + r.length());
                } else {
                    byte[] data = new byte[(int) r.length()];
                    for (int at = 0; at < data.length; at += MAX_READ) {
                        readFully(ch, path, data, at, Math.min(MAX_READ, data.length - at), offset + at);
                    }
                    if (!store.holdsContentOf(r.id(), data)) {
                        throw new CorruptDataException(path + ": bytes at " + offset + " do not match chunk " + r.id().shortString());
                    }
                }
                offset += r.length();
            }
        }
    }

    /** Checks that the stored parts of [from, to) read as zeros. */
    private static void verifyHole(FileChannel ch, Path path, List<Extent> stored, long from, long to) throws IOException {
        byte[] buf = null;
        for (Extent e : stored) {
            long start = Math.max(from, e.offset());
            long end = Math.min(to, e.end());
            for (long pos = start; pos < end; ) {
                if (buf == null) {
                    buf = new byte[1 << 20];
                }
                int n = (int) Math.min(buf.length, end - pos);
                readFully(ch, path, buf, n, pos);
                if (!ZeroDetector.isAllZero(buf, 0, n)) {
                    throw new CorruptDataException(path + ": a hole at " + pos + " holds data");
                }
                pos += n;
            }
        }
    }

    private static void readFully(FileChannel ch, Path path, byte[] into, int length, long at) throws IOException {
        readFully(ch, path, into, 0, length, at);
    }

    private static void readFully(FileChannel ch, Path path, byte[] into, int from, int length, long at) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into, from, length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position() - from) < 0) {
                throw new CorruptDataException(path + " ends early");
            }
        }
    }
}
