package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.pack.PackSalvager;
import dev.strata.core.pack.PackTable;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Brings the index in line with the packs in the backend (docs/format.md §9): packs it does not know
 * are read (their tables only) and added, packs that are gone are kept as lost, and a known pack whose
 * size changed is salvaged. A pack whose table cannot be read is salvaged (§5.3): every entry that
 * still authenticates is indexed, and the report says what was lost. Thread-safe.
 */
public final class IndexSynchronizer {
    private final Backend backend;
    private final LmdbIndex index;
    private final PackReader packs;
    private final PackSalvager salvager;

    public IndexSynchronizer(Backend backend, LmdbIndex index, PackReader packs, PackSalvager salvager) {
        this.backend = backend;
        this.index = index;
        this.packs = packs;
        this.salvager = salvager;
    }

    /** What a synchronisation changed, and the packs it had to salvage. */
    public record Report(int added, int removed, List<PackSalvage> salvaged) {
        public Report {
            salvaged = List.copyOf(salvaged);
        }

        /** One line per salvaged pack: what was wrong, what was kept, what was lost. */
        public List<String> damaged() {
            return salvaged.stream().map(PackSalvage::describe).toList();
        }
    }

    public Report synchronize() throws IOException {
        return synchronize(Map.of());
    }

    private Report synchronize(Map<PackId, List<PackEntry>> hints) throws IOException {
        // Read the index before listing: a pack indexed after this point was stored before it was
        // indexed, so it shows up in the listing and is never mistaken for a deleted one.
        Map<PackId, PackRecord> known = index.packs();
        List<BlobInfo> listed = backend.list(BlobType.PACK);
        Set<PackId> present = new HashSet<>();
        int added = 0;
        List<Salvage> toSalvage = new ArrayList<>();
        for (BlobInfo info : listed) {
            PackId id = PackId.parse(info.name().name());
            present.add(id);
            PackRecord record = known.get(id);
            try {
                if (record != null) {
                    if (record.size() != info.size()) {
                        // Packs never change: one that did was cut short or replaced. Keep what still reads.
                        toSalvage.add(new Salvage(id, index.entries(id), true));
                    }
                    continue;
                }
                if (index.containsPack(id)) {
                    continue;
                }
                try {
                    PackTable table = packs.readTable(id);
                    index.addPack(id, table.type(), table.size(), table.entries());
                } catch (CorruptDataException e) {
                    toSalvage.add(new Salvage(id, hints.getOrDefault(id, List.of()), false));
                }
                added++;
            } catch (NoSuchFileException deletedMeanwhile) {
                // pruned between the listing and the read
            }
        }
        List<PackSalvage> salvaged = salvageAll(toSalvage);
        Set<PackId> gone = new HashSet<>(known.keySet());
        gone.removeAll(present);
        // Not deleted through this index (that would have forgotten them): keep what they held as lost.
        index.losePacks(gone);
        return new Report(added, gone.size(), salvaged);
    }

    private record Salvage(PackId id, List<PackEntry> expected, boolean replace) {
    }

    /** Salvages packs side by side: a pack without a usable table is scanned, which takes seconds. */
    private List<PackSalvage> salvageAll(List<Salvage> jobs) throws IOException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        int threads = Math.min(jobs.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "strata-salvage");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PackSalvage>> futures = new ArrayList<>();
            for (Salvage job : jobs) {
                futures.add(pool.submit(() -> {
                    try {
                        return salvage(job.id(), job.expected(), job.replace());
                    } catch (NoSuchFileException deletedMeanwhile) {
                        return null;
                    }
                }));
            }
            List<PackSalvage> out = new ArrayList<>();
            for (Future<PackSalvage> f : futures) {
                PackSalvage s = PutPipeline.await(f);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads the whole pack and indexes what still authenticates; {@code expected} are the entries the
     * index had for it, tried first and recorded as damaged when they fail.
     */
    public PackSalvage salvage(PackId id, List<PackEntry> expected, boolean replace) throws IOException {
        byte[] bytes = backend.get(PackReader.blobName(id));
        PackSalvage s = salvager.salvage(id, bytes, expected);
        if (replace || !s.damaged().isEmpty()) {
            index.replaceSalvaged(id, s.type(), s.size(), s.entries(), s.damaged());
        } else {
            index.addPack(id, s.type(), s.size(), s.entries(), true);
        }
        return s;
    }

    /**
     * Forgets every pack and reads every table again. The entries the old index had for a pack whose
     * table turns out unreadable guide its salvage, so a rebuild never loses what the index could read.
     */
    public Report rebuild() throws IOException {
        Map<PackId, List<PackEntry>> hints = new HashMap<>();
        for (BlobInfo info : backend.list(BlobType.PACK)) {
            PackId id = PackId.parse(info.name().name());
            if (!index.containsPack(id)) {
                continue;
            }
            try {
                packs.readTable(id);
            } catch (CorruptDataException e) {
                hints.put(id, index.entries(id));
            } catch (NoSuchFileException deletedMeanwhile) {
                // gone; the synchronisation below notices
            }
        }
        index.clear();
        return synchronize(hints);
    }
}
