package dev.strata.snapshot.check;

import dev.strata.core.id.PackId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a check learnt about damaged and missing packs, and how much of what they lost the snapshots
 * use: a damaged pack is an error while snapshots use something lost with it, and a note once nothing
 * they use is lost (after {@code repair snapshots}), until prune removes it. Confined to one thread.
 */
final class PackFindings {
    private static final class Finding {
        String problem;
        boolean lossUnknown;
        int lostChunks;
        int lostUsed;
    }

    private final Map<PackId, Finding> packs = new TreeMap<>();
    private int unattributed;
    private boolean walkIncomplete;

    /**
     * Records what is wrong with a pack; {@code lossUnknown} when chunks may have been lost that the
     * index cannot name (a pack salvaged without knowing its entries).
     */
    void problem(PackId id, String line, boolean lossUnknown) {
        Finding f = packs.computeIfAbsent(id, k -> new Finding());
        if (f.problem == null) {
            f.problem = line;
        }
        f.lossUnknown |= lossUnknown;
    }

    boolean known(PackId id) {
        Finding f = packs.get(id);
        return f != null && f.problem != null;
    }

    /** Whether this pack holds chunks known to be lost. */
    boolean hasLost(PackId id) {
        Finding f = packs.get(id);
        return f != null && f.lostChunks > 0;
    }

    /** A chunk known to be lost with this pack; {@code used} when a snapshot refers to it. */
    void lost(PackId id, boolean used) {
        Finding f = packs.computeIfAbsent(id, k -> new Finding());
        f.lostChunks++;
        if (used) {
            f.lostUsed++;
        }
    }

    /** A chunk snapshots use that is in no pack, and no pack is known to have lost. */
    void unattributed() {
        unattributed++;
    }

    /**
     * Part of the snapshots could not be walked (a tree is unreadable): what they use beneath it is
     * unknown, so every pack that lost something may have cost them data.
     */
    void walkIncomplete() {
        walkIncomplete = true;
    }

    boolean isWalkIncomplete() {
        return walkIncomplete;
    }

    /** One line per pack: errors while snapshots use what it lost (or may have), notes otherwise. */
    void report(CheckReport report) {
        for (Map.Entry<PackId, Finding> e : packs.entrySet()) {
            Finding f = e.getValue();
            boolean mayCost = walkIncomplete && (f.lostChunks > 0 || f.lossUnknown);
            if (f.problem == null && f.lostUsed == 0 && !mayCost) {
                continue; // a pack deleted elsewhere whose chunks nothing uses: pruned, not lost
            }
            String line = f.problem != null ? f.problem : "pack " + e.getKey() + " is missing from the repository";
            if (f.problem == null) {
                line += " (" + f.lostChunks + " chunk(s) were in it)";
            }
            if (f.lostUsed > 0) {
                report.error(line + "; snapshots use " + f.lostUsed + " chunk(s) lost with it");
            } else if (f.lossUnknown && unattributed > 0) {
                report.error(line + "; snapshots use " + unattributed + " chunk(s) that are in no pack, which it may have held");
            } else if (mayCost) {
                report.error(line + "; part of the snapshots cannot be read, so they may use what was lost with it");
            } else if (f.lostChunks == 0 && !f.lossUnknown) {
                report.note(line + "; its data is intact ('strata prune' rewrites it)");
            } else {
                report.note(line + "; no snapshot uses what was lost with it ('strata prune' removes it)");
            }
        }
    }

    /** The packs recorded, for tests and summaries. */
    List<PackId> packs() {
        return new ArrayList<>(packs.keySet());
    }
}
