package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackTable;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the index in line with the packs in the backend (docs/format.md §9): packs it does not know
 * are read (their tables only) and added, packs that are gone are removed. Thread-safe.
 */
public final class IndexSynchronizer {
    private final Backend backend;
    private final LmdbIndex index;
    private final PackReader packs;

    public IndexSynchronizer(Backend backend, LmdbIndex index, PackReader packs) {
        this.backend = backend;
        this.index = index;
        this.packs = packs;
    }

    /** What a synchronisation changed, and the packs whose tables could not be read. */
    public record Report(int added, int removed, List<String> damaged) {
    }

    public Report synchronize() throws IOException {
        // Read the index before listing: a pack indexed after this point was stored before it was
        // indexed, so it shows up in the listing and is never mistaken for a deleted one.
        Map<PackId, PackRecord> known = index.packs();
        List<BlobInfo> listed = backend.list(BlobType.PACK);
        Set<PackId> present = new HashSet<>();
        int added = 0;
        List<String> damaged = new ArrayList<>();
        for (BlobInfo info : listed) {
            PackId id = PackId.parse(info.name().name());
            present.add(id);
            if (known.containsKey(id) || index.containsPack(id)) {
                continue;
            }
            try {
                PackTable table = packs.readTable(id);
                index.addPack(id, table.type(), table.size(), table.entries());
                added++;
            } catch (CorruptDataException e) {
                damaged.add(e.getMessage());
            } catch (NoSuchFileException deletedMeanwhile) {
                // pruned between the listing and the read
            }
        }
        Set<PackId> gone = new HashSet<>(known.keySet());
        gone.removeAll(present);
        // Not deleted through this index (that would have forgotten them): keep what they held as lost.
        index.losePacks(gone);
        return new Report(added, gone.size(), damaged);
    }

    /** Forgets everything and reads every pack's table again. */
    public Report rebuild() throws IOException {
        index.clear();
        return synchronize();
    }
}
