package dev.strata.core.store;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.id.PackId;
import dev.strata.core.index.ChunkLocation;
import dev.strata.core.pack.PackEntry;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads many chunks of a store with few requests: the chunks are grouped by the pack that holds them
 * into runs of entries lying close together, and each run is fetched with one ranged read (object
 * storage answers every request after a round trip, so one read of a few MiB beats dozens of small
 * ones). For work that reads each chunk once, such as copying snapshots; the store's chunk cache is
 * passed by. Thread-safe (stateless).
 */
public final class ChunkRuns {
    /** Entries this close are read together: the bytes between them cost less than another request. */
    static final long MAX_GAP = 1L << 20;
    /** The most one read fetches, so a run's bytes and plaintexts stay small beside the heap. */
    static final long MAX_RUN = 16L << 20;

    /**
     * Chunks read with one request: entries of one pack in file order, or (pack null) one chunk the
     * index does not know, read through {@link ChunkStore#get} so that its error is the store's.
     */
    public record Run(PackId pack, List<PackEntry> entries, ChunkId unknown) {
        public Run {
            entries = List.copyOf(entries);
        }

        /** The chunks of this run. */
        public List<ChunkId> ids() {
            return unknown != null ? List.of(unknown) : entries.stream().map(PackEntry::id).toList();
        }
    }

    private ChunkRuns() {
    }

    /** Groups {@code ids} (distinct) into runs, by pack and offset. */
    public static List<Run> plan(ChunkStore store, Collection<ChunkId> ids) throws IOException {
        Map<PackId, List<PackEntry>> byPack = new LinkedHashMap<>();
        List<Run> runs = new ArrayList<>();
        for (ChunkId id : ids) {
            Optional<ChunkLocation> loc = store.locate(id);
            if (loc.isEmpty()) {
                runs.add(new Run(null, List.of(), id));
            } else {
                byPack.computeIfAbsent(loc.get().pack(), p -> new ArrayList<>()).add(loc.get().entry());
            }
        }
        byPack.forEach((pack, entries) -> {
            entries.sort(Comparator.comparingLong(PackEntry::offset));
            List<PackEntry> run = new ArrayList<>();
            for (PackEntry e : entries) {
                if (!run.isEmpty()) {
                    PackEntry first = run.get(0);
                    PackEntry last = run.get(run.size() - 1);
                    if (e.offset() - last.end() > MAX_GAP || e.end() - first.offset() > MAX_RUN) {
                        runs.add(new Run(pack, run, null));
                        run = new ArrayList<>();
                    }
                }
                run.add(e);
            }
            runs.add(new Run(pack, run, null));
        });
        return runs;
    }

    /**
     * The plaintexts of a run's chunks, authenticated, by id. When the one read fails (a damaged
     * entry, a pack deleted meanwhile), every chunk is read through {@link ChunkStore#get}, which marks
     * what is damaged, tries other copies and names what is lost.
     */
    public static Map<ChunkId, byte[]> read(ChunkStore store, Run run) throws IOException {
        Map<ChunkId, byte[]> out = new LinkedHashMap<>();
        if (run.pack() != null) {
            try {
                List<byte[]> plain = store.packReader().readChunks(run.pack(), run.entries());
                for (int i = 0; i < plain.size(); i++) {
                    out.put(run.entries().get(i).id(), plain.get(i));
                }
                return out;
            } catch (CorruptDataException | NoSuchFileException e) {
                out.clear(); // one by one below, through the store's handling of damage and loss
            }
        }
        for (ChunkId id : run.ids()) {
            out.put(id, store.get(id));
        }
        return out;
    }
}
