package dev.strata.snapshot.stats;

import dev.strata.core.id.ChunkId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbTable;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.refs.ReferenceWalker;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What a set of snapshots costs: the size of their files added up, and the distinct data chunks
 * behind them, raw and as stored. Each chunk is counted once however many files and snapshots share
 * it, so raw size / distinct raw bytes is the deduplication ratio. Stateless; one call at a time per
 * repository (the walk's marks live in one LMDB table of its cache).
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
        LmdbTable marks = repo.lmdb().openRunTable("stats");
        ReferenceWalker walker = new ReferenceWalker(new TreeStore(repo.store()), marks);
        long[] sums = new long[4]; // chunks, raw, stored, missing
        long fileBytes = 0;
        try {
            for (Snapshot s : snapshots) {
                fileBytes += s.summary().totalBytes();
                walker.walk(s.tree(), s.shortId(), new ReferenceWalker.Visitor() {
                    @Override
                    public void chunk(ChunkId id, boolean tree, String path) {
                        if (tree) {
                            return;
                        }
                        Optional<ChunkLocation> loc = repo.index().lookup(id);
                        if (loc.isEmpty()) {
                            sums[3]++;
                            return;
                        }
                        sums[0]++;
                        sums[1] += loc.get().entry().rawLength();
                        sums[2] += loc.get().entry().storedLength();
                    }

                    @Override
                    public void unreadable(ChunkId id, String path, IOException e) throws IOException {
                        throw new IOException("read tree " + id.shortString() + " at " + path, e);
                    }
                });
            }
        } finally {
            marks.drop();
        }
        return new Result(snapshots.size(), fileBytes, sums[0], sums[1], sums[2], sums[3]);
    }
}
