package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.IndexFile;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces a repository's index files (docs/format.md §9.1) by a few large ones that describe every
 * pack present, the packs no file described included, and none that is gone: what prune does after
 * deleting, so that a new client reads few index files however many backups wrote one. Memory holds
 * one index file being read and one being written. Confined to one thread.
 *
 * <p>Safe beside writers: the files replaced are listed first and the index synchronised after, so
 * every pack they name that still exists is in the index and described again; a file a writer stores
 * after the listing is not touched.
 */
public final class IndexFileRewriter {
    /** About 10 MiB of plaintext per file. */
    static final long ENTRIES_PER_FILE = 200_000;
    private final Backend backend;
    private final LmdbIndex index;
    private final IndexSynchronizer synchronizer;
    private final Aes256GcmCipher dataCipher;
    private final List<PackTable> batch = new ArrayList<>();
    private long batchEntries;
    private int written;
    private int countFromIndex;

    /** What a rewrite did: index files read and replaced, written, and packs they describe. */
    public record Result(int replaced, int written, int packs) {
    }

    IndexFileRewriter(Backend backend, LmdbIndex index, IndexSynchronizer synchronizer, Aes256GcmCipher dataCipher) {
        this.backend = backend;
        this.index = index;
        this.synchronizer = synchronizer;
        this.dataCipher = dataCipher;
    }

    /**
     * Rewrites the index files; when {@code packsDeleted} is false and there is exactly one, it is
     * left as it is (it describes every pack but those stored since, which wrote their own).
     */
    public Result rewrite(boolean packsDeleted) throws IOException {
        List<BlobInfo> old = backend.list(BlobType.INDEX);
        if (!packsDeleted && old.size() == 1) {
            return new Result(0, 0, 0);
        }
        synchronizer.synchronize();
        Map<PackId, PackRecord> present = index.packs();
        Set<PackId> described = new HashSet<>();
        for (BlobInfo f : old) {
            List<PackTable> tables;
            try {
                tables = f.size() > IndexFile.MAX_BYTES ? List.of()
                        : IndexFile.open(dataCipher, backend.get(f.name()), f.name().name());
            } catch (CorruptDataException | NoSuchFileException unusable) {
                continue;
            }
            for (PackTable t : tables) {
                PackRecord r = present.get(t.id());
                if (r != null && !r.salvaged() && r.size() == t.size() && described.add(t.id())) {
                    add(t);
                }
            }
        }
        // Packs no index file described (written by an earlier version, or by a process that died
        // before it wrote one): from the index, in groups so that memory stays bounded.
        List<PackId> group = new ArrayList<>();
        long groupEntries = 0;
        for (PackRecord r : present.values()) {
            if (r.salvaged() || described.contains(r.id())) {
                continue;
            }
            group.add(r.id());
            groupEntries += r.entryCount();
            if (groupEntries >= ENTRIES_PER_FILE) {
                addFromIndex(group, present);
                group.clear();
                groupEntries = 0;
            }
        }
        addFromIndex(group, present);
        int packs = described.size() + countFromIndex;
        writeBatch();
        for (BlobInfo f : old) {
            try {
                backend.delete(f.name());
            } catch (NoSuchFileException goneMeanwhile) {
                // another prune replaced it too
            }
        }
        return new Result(old.size(), written, packs);
    }

    private void addFromIndex(List<PackId> group, Map<PackId, PackRecord> present) throws IOException {
        if (group.isEmpty()) {
            return;
        }
        for (Map.Entry<PackId, List<PackEntry>> e : index.entriesOf(group).entrySet()) {
            PackRecord r = present.get(e.getKey());
            PackTable t = new PackTable(r.id(), r.type(), r.size(), e.getValue());
            // A pack whose entries the index lost in part cannot be described; its table is read.
            if (IndexFile.describable(t)) {
                add(t);
                countFromIndex++;
            }
        }
    }

    private void add(PackTable t) throws IOException {
        batch.add(t);
        batchEntries += t.entries().size() + 1;
        if (batchEntries >= ENTRIES_PER_FILE) {
            writeBatch();
        }
    }

    private void writeBatch() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        backend.put(IndexFile.newName(), IndexFile.seal(dataCipher, batch));
        written++;
        batch.clear();
        batchEntries = 0;
    }
}
