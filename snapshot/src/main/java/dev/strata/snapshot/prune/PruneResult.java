package dev.strata.snapshot.prune;

import java.util.List;

/**
 * What a prune did (or, for a dry run, would do).
 *
 * @param packsDeleted   packs removed because nothing in them is used
 * @param packsRepacked  packs whose live chunks were moved to new packs before removal
 * @param bytesFreed     pack bytes removed, minus bytes written to new packs
 * @param unusedLeft     bytes of unused chunks left in packs kept (below the --max-unused limit)
 * @param lostIgnored    problems pruned around (--ignore-damaged): lost chunks and unreadable trees snapshots use
 * @param packsWaiting   condemned packs kept until every running writer knows they go (docs/format.md §7.1)
 * @param waitingFor     the writers that do not know yet, described for people
 */
public record PruneResult(long snapshots, long chunksUsed, long chunksUnused, int packsTotal, int packsDeleted,
                          int packsRepacked, long bytesBefore, long bytesFreed, long bytesRepacked, long unusedLeft,
                          int stagingFilesRemoved, int lostIgnored, boolean dryRun, int packsWaiting,
                          long bytesWaiting, List<String> waitingFor) {
    public PruneResult {
        waitingFor = List.copyOf(waitingFor);
    }
}
