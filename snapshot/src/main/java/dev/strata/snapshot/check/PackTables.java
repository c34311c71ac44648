package dev.strata.snapshot.check;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.index.LmdbIndex;
import dev.strata.core.index.LostChunk;
import dev.strata.core.index.PackRecord;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackSalvage;
import dev.strata.core.pack.PackTable;
import dev.strata.core.repo.Repository;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cheap half of a check: every pack's header and table (two small reads) against what the index
 * holds for it. A pack whose header or table does not authenticate is salvaged on the spot, so that
 * what it lost is known exactly; a table that disagrees with the index is reported. Entries are not
 * read (that is {@code --read-data}). Confined to one thread.
 */
final class PackTables {
    private final Repository repo;
    private final LmdbIndex index;

    PackTables(Repository repo) {
        this.repo = repo;
        this.index = repo.index();
    }

    /** Checks every present pack not already read whole ({@code read}) nor already found damaged. */
    void check(Set<PackId> present, Set<PackId> read, PackFindings packs, CheckReport report) throws IOException {
        Map<PackId, PackRecord> indexed = index.packs();
        Map<PackId, long[]> held = indexFingerprints();
        for (PackId id : new TreeSet<>(present)) {
            PackRecord record = indexed.get(id);
            if (read.contains(id) || packs.known(id) || record == null) {
                continue;
            }
            if (record.salvaged()) {
                packs.problem(id, "pack " + id + ": its header or table is damaged; " + record.entryCount()
                        + " chunk(s) were recovered by scanning it", true);
                continue;
            }
            try {
                PackTable table = repo.store().packReader().readTable(id);
                long[] expected = held.getOrDefault(id, new long[2]);
                long[] actual = fingerprint(table.entries());
                if (expected[0] != actual[0] || expected[1] != actual[1]) {
                    report.note("pack " + id + ": its table lists " + actual[0] + " chunk(s) but the index holds "
                            + expected[0] + " for it; 'strata repair index' reads it again");
                }
            } catch (CorruptDataException e) {
                List<PackEntry> expected = new ArrayList<>(index.entries(id));
                for (LostChunk l : index.allLost()) {
                    if (l.location().pack().equals(id) && l.reason() == LostChunk.Reason.DAMAGED) {
                        expected.add(l.location().entry());
                    }
                }
                PackSalvage s = repo.store().synchronizer().salvage(id, expected, true);
                packs.problem(id, s.describe(), s.lostBytes() > 0);
            } catch (NoSuchFileException gone) {
                report.note("pack " + id + " was removed while the check ran");
            }
        }
    }

    /** Per pack: how many entries the index holds for it (usable or known damaged), and their XOR of hashes. */
    private Map<PackId, long[]> indexFingerprints() {
        Map<PackId, long[]> out = new HashMap<>();
        index.forEachLocation(loc -> add(out.computeIfAbsent(loc.pack(), k -> new long[2]), loc.entry()));
        for (LostChunk l : index.allLost()) {
            if (l.reason() == LostChunk.Reason.DAMAGED) {
                add(out.computeIfAbsent(l.location().pack(), k -> new long[2]), l.location().entry());
            }
        }
        return out;
    }

    private static long[] fingerprint(List<PackEntry> entries) {
        long[] f = new long[2];
        entries.forEach(e -> add(f, e));
        return f;
    }

    private static void add(long[] f, PackEntry e) {
        f[0]++;
        f[1] ^= e.hashCode() * 0x9E3779B97F4A7C15L + e.offset();
    }
}
