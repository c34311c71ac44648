package dev.strata.snapshot.stats;

import dev.strata.core.id.ChunkId;
import dev.strata.core.pack.PackType;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.refs.LiveCopies;
import dev.strata.snapshot.refs.ReachableChunks;
import dev.strata.snapshot.refs.ReferenceWalker;
import dev.strata.snapshot.refs.SortedChunkIds;

import java.io.IOException;
import java.util.List;

/**
 * What a set of snapshots costs: the size of their files added up, and the distinct data chunks
 * behind them, raw and as stored. Each chunk is counted once however many files and snapshots share
 * it, so raw size / distinct raw bytes is the deduplication ratio. The chunks reached are marked as
 * check and prune mark them ({@link ReachableChunks}: sorted runs in the cache, memory bounded), then
 * one walk of the index in key order beside the sorted ids adds up their sizes. Stateless; one call
 * at a time per repository (the marks live in a run table and folder of its cache).
 */
public final class ReferencedSize {
    /**
     * @param fileBytes   the files' sizes, added up over every snapshot (from their summaries)
     * @param dataChunks  distinct data chunks referred to
     * @param rawBytes    their plaintext bytes
     * @param storedBytes their bytes in packs, compressed and encrypted
     * @param missing     data chunks referred to but in no pack ({@code strata check} says more)
     */
    public record Result(int snapshots, long fileBytes, long dataChunks, long rawBytes, long storedBytes, long missing) {
        /** Raw size over distinct raw bytes: how many times over deduplication saves the data. */
        public double dedupRatio() {
            return rawBytes == 0 ? 1.0 : (double) fileBytes / rawBytes;
        }

        /** Distinct raw bytes over stored bytes. */
        public double compressionRatio() {
            return storedBytes == 0 ? 1.0 : (double) rawBytes / storedBytes;
        }
    }

    private ReferencedSize() {
    }

    /** Walks the snapshots' trees; a tree that cannot be read fails the whole count. */
    public static Result of(Repository repo, List<Snapshot> snapshots) throws IOException {
        long fileBytes = 0;
        try (ReachableChunks reachable = new ReachableChunks(repo.lmdb(), new TreeStore(repo.store()), "stats")) {
            ReferenceWalker.Visitor failOnUnreadable = new ReferenceWalker.Visitor() {
                @Override
                public void chunk(ChunkId id, boolean tree, String path) {
                }

                @Override
                public void unreadable(ChunkId id, String path, IOException e) throws IOException {
                    throw new IOException("read tree " + id.shortString() + " at " + path, e);
                }
            };
            for (Snapshot s : snapshots) {
                fileBytes += s.summary().totalBytes();
                reachable.walk(s.tree(), s.shortId(), failOnUnreadable);
            }
            try (SortedChunkIds reached = reachable.finish()) {
                return sizes(repo, reached, snapshots.size(), fileBytes);
            }
        }
    }

    /**
     * Adds up the reached data chunks' sizes from their copies in the index (the copy a read uses).
     * Every tree and content list reached was read, so the reached ids the index lacks are data chunks.
     */
    private static Result sizes(Repository repo, SortedChunkIds reached, int snapshots, long fileBytes) throws IOException {
        long[] sums = new long[4]; // data chunks, raw, stored, reached ids found in the index
        long reachedIds = LiveCopies.walk(repo.index(), reached, (loc, live) -> {
            if (!live) {
                return;
            }
            sums[3]++;
            if (loc.type() == PackType.DATA) {
                sums[0]++;
                sums[1] += loc.entry().rawLength();
                sums[2] += loc.entry().storedLength();
            }
        });
        return new Result(snapshots, fileBytes, sums[0], sums[1], sums[2], reachedIds - sums[3]);
    }
}
