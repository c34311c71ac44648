package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.LostChunk;
import dev.strata.core.pack.KeySpace;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.pack.PackSalvager;
import dev.strata.core.pack.PackTable;
import dev.strata.core.pack.PackType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads whole packs and checks every byte of them ({@code check --read-data}), and brings the index in
 * line with what it finds: copies that fail are marked damaged, so that the next backup of their
 * source stores those chunks again; copies marked damaged before that now read intact are usable
 * again; a pack whose header or table is damaged is salvaged. Thread-safe; one verifier serves one
 * pass over the packs.
 */
public final class PackVerifier {
    private final Backend backend;
    private final LmdbIndex index;
    private final PackReader packs;
    private final PackSalvager salvager;
    /** The chunk-id key of each key space, null for a space whose keys are not known here. */
    private final java.util.function.Function<KeySpace, ChunkIdHasher> hashers;

    /** Copies marked damaged before this verifier started, by pack; read once, each pack is verified once. */
    private Map<PackId, List<LostChunk>> markedDamaged;

    PackVerifier(Backend backend, LmdbIndex index, PackReader packs, PackSalvager salvager,
                 java.util.function.Function<KeySpace, ChunkIdHasher> hashers) {
        this.backend = backend;
        this.index = index;
        this.packs = packs;
        this.salvager = salvager;
        this.hashers = hashers;
    }

    /**
     * What reading one pack found.
     *
     * @param entries  entries the pack holds (its table's, or what a salvage recovered and knew of)
     * @param damaged  entries that fail authentication, do not decode or hold other content than their id
     * @param salvage  set when the header or table could not be read and the pack was salvaged
     */
    public record Result(PackId id, PackType type, long size, int entries, List<PackEntry> damaged, PackSalvage salvage) {
        public Result {
            damaged = List.copyOf(damaged);
        }

        public boolean ok() {
            return damaged.isEmpty() && salvage == null;
        }

        /** One line naming the pack and what is wrong with it; for a sound pack, that it is sound. */
        public String describe() {
            if (salvage != null) {
                return salvage.describe();
            }
            if (damaged.isEmpty()) {
                return "pack " + id + ": all " + entries + " chunk(s) intact";
            }
            long bytes = damaged.stream().mapToLong(PackEntry::storedLength).sum();
            List<String> ids = damaged.stream().limit(5).map(e -> e.id().shortString()).toList();
            return "pack " + id + ": " + damaged.size() + " of " + entries + " chunk(s) damaged (" + bytes + " bytes: "
                    + String.join(", ", ids) + (damaged.size() > ids.size() ? ", …" : "") + ")";
        }
    }

    private synchronized Map<PackId, List<LostChunk>> markedDamaged() {
        if (markedDamaged == null) {
            markedDamaged = new HashMap<>();
            for (LostChunk l : index.allLost()) {
                if (l.reason() == LostChunk.Reason.DAMAGED) {
                    markedDamaged.computeIfAbsent(l.location().pack(), k -> new ArrayList<>()).add(l);
                }
            }
        }
        return markedDamaged;
    }

    public Result verify(PackId id) throws IOException {
        byte[] all = backend.get(PackReader.blobName(id));
        List<LostChunk> markedBefore = markedDamaged().getOrDefault(id, List.of());
        PackTable table;
        try {
            table = packs.tableOf(id, all);
        } catch (CorruptDataException e) {
            List<PackEntry> expected = new ArrayList<>(index.entries(id));
            markedBefore.forEach(l -> expected.add(l.location().entry()));
            PackSalvage s = salvager.salvage(id, all, expected);
            index.replaceSalvaged(id, s.type(), s.size(), s.entries(), s.damaged());
            return new Result(id, s.type(), all.length, s.entries().size() + s.damaged().size(), s.damaged(), s);
        }
        // Every id is recomputed under the key its pack names, never under another (docs/format.md §5.1).
        ChunkIdHasher hasher = hashers.apply(table.space());
        if (hasher == null) {
            throw new CorruptDataException("pack " + id + ": its chunk ids are under " + table.space()
                    + ", which this repository does not hold");
        }
        List<PackEntry> damaged = new ArrayList<>();
        for (PackEntry e : table.entries()) {
            try {
                packs.checkEntry(id, all, e, hasher);
            } catch (CorruptDataException bad) {
                damaged.add(e);
                index.markDamaged(new ChunkLocation(id, table.type(), e));
            }
        }
        Set<PackEntry> bad = new HashSet<>(damaged);
        List<LostChunk> intactAfterAll = markedBefore.stream().filter(l -> !bad.contains(l.location().entry())).toList();
        index.recover(intactAfterAll);
        return new Result(id, table.type(), all.length, table.entries().size(), damaged, null);
    }
}
