package dev.strata.volume.data;

import dev.strata.core.chunk.ChunkReader;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.store.ChunkStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;

/**
 * Turns a file with unsealed changes into the content of its next version, cutting and storing only
 * around what changed: it starts at the last old cut at or before the first changed byte (content-
 * defined cuts restart there, so the chunks before are the same), and once a new cut falls on an old
 * one after the last changed byte, the old chunks from there on are reused. Long runs of zeros that
 * were never written become holes without being read. The result depends only on its inputs, so a
 * seal redone after a crash gives the same content. The plaintext the store keeps for chunks not yet
 * in a pack stays within {@link #MAX_PENDING_PLAIN} and one chunk: reaching it, the store writes its
 * pack at once, so sealing a file of any size holds about that much of it in memory. Stateless apart
 * from its store; thread-safe.
 */
final class Rechunker {
    /** Zero runs at least this long (not written, or holes of the base) are kept as holes unread. */
    static final long HOLE_MIN = 1 << 20;
    /**
     * Plaintext of chunks put and not yet in a pack at which the store is flushed. Without it the store
     * kept up to three packs' worth (the open one, two being stored: 96 MiB of a large file), all of it
     * promoted to the old generation, and a mount writing 100 MiB grew its heap past 120 MB. A flush
     * only makes packs durable and indexed sooner, which the durability rules always allow: versions
     * and their seals are made durable by the flusher as before.
     */
    static final long MAX_PENDING_PLAIN = 16L << 20;

    private final ChunkStore store;

    Rechunker(ChunkStore store) {
        this.store = store;
    }

    /** The references of the file's new content; the base's own when nothing changed. */
    List<ChunkRef> rechunk(BaseReader base, long baseValid, NavigableMap<Long, Long> extents, long size,
                           FileImage image) throws IOException {
        long baseSize = base.size();
        long baseLen = Math.min(baseValid, baseSize);
        long first = Long.MAX_VALUE;
        if (!extents.isEmpty()) {
            first = extents.firstKey();
        }
        if (baseLen < baseSize) {
            first = Math.min(first, baseLen);
        }
        if (size != baseSize) {
            first = Math.min(first, Math.min(size, baseSize));
        }
        if (first == Long.MAX_VALUE) {
            return base.refs();
        }
        boolean canRealign = size == baseSize && baseLen == baseSize;
        long lastChange = extents.isEmpty() ? first : Math.max(first, extents.lastEntry().getValue());
        long[] bounds = base.boundaries();
        int startIndex = floorIndex(bounds, first);
        // A last chunk was cut by the end of the file, not by its content: begin with it again.
        if (startIndex == base.refs().size() && startIndex > 0) {
            startIndex--;
        }
        long from = bounds[startIndex];
        List<ChunkRef> out = new ArrayList<>(base.refs().subList(0, startIndex));

        Emitter emit = new Emitter(out, bounds, base.refs(), canRealign, lastChange, from);
        List<Piece> run = new ArrayList<>();
        for (Piece p : image.pieces(from, size)) {
            if (p.kind() == Piece.Kind.ZERO && p.length() >= HOLE_MIN) {
                if (chunkRun(image, run, emit)) {
                    return ChunkRef.mergeHoles(out);
                }
                run.clear();
                if (emit.add(ChunkRef.hole(p.length()))) {
                    return ChunkRef.mergeHoles(out);
                }
            } else {
                run.add(p);
            }
        }
        chunkRun(image, run, emit);
        return ChunkRef.mergeHoles(out);
    }

    /** Chunks and stores a run of pieces; true when the emitter realigned with the old content. */
    private boolean chunkRun(FileImage image, List<Piece> run, Emitter emit) throws IOException {
        if (run.isEmpty()) {
            return false;
        }
        long length = 0;
        for (Piece p : run) {
            length += p.length();
        }
        // Told the length, the reader buffers no more than the run: a small file's seal would otherwise
        // zero a whole reading window (four average chunks, 4 MiB) of memory.
        ChunkReader reader = new ChunkReader(store.chunker(), new PiecesChannel(image, run), length);
        byte[] chunk;
        while ((chunk = reader.next()) != null) {
            ChunkRef ref = store.putDataChunk(chunk);
            if (store.pendingReadableBytes() >= MAX_PENDING_PLAIN) {
                store.flush();
            }
            if (emit.add(ref)) {
                return true;
            }
        }
        return false;
    }

    private static int floorIndex(long[] bounds, long pos) {
        int i = Arrays.binarySearch(bounds, pos);
        return i >= 0 ? i : -i - 2;
    }

    /** Collects new references and notices when a cut meets an old one past the last change. */
    private static final class Emitter {
        private final List<ChunkRef> out;
        private final long[] bounds;
        private final List<ChunkRef> oldRefs;
        private final boolean canRealign;
        private final long lastChange;
        private long pos;

        Emitter(List<ChunkRef> out, long[] bounds, List<ChunkRef> oldRefs, boolean canRealign, long lastChange,
                long from) {
            this.out = out;
            this.bounds = bounds;
            this.oldRefs = oldRefs;
            this.canRealign = canRealign;
            this.lastChange = lastChange;
            this.pos = from;
        }

        /** Adds {@code ref}; true when the rest of the old content was appended and the work is done. */
        boolean add(ChunkRef ref) {
            out.add(ref);
            pos += ref.length();
            if (!canRealign || pos < lastChange || pos >= bounds[bounds.length - 1]) {
                return false;
            }
            int i = Arrays.binarySearch(bounds, pos);
            if (i < 0) {
                return false;
            }
            out.addAll(oldRefs.subList(i, oldRefs.size()));
            return true;
        }
    }
}
