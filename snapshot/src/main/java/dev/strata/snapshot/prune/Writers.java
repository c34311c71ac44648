package dev.strata.snapshot.prune;

import dev.strata.core.repo.Condemnation;
import dev.strata.core.repo.Lease;
import dev.strata.core.repo.LockRecord;
import dev.strata.core.repo.Repository;
import dev.strata.core.repo.RepositoryLock;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The writers a prune must wait for, read at one moment (docs/format.md §7.1): the live locks whose
 * holders may refer to chunks outside snapshots, and the leases of live volumes, each with the
 * condemnations it knows. Immutable.
 */
final class Writers {
    private record Writer(String who, Set<String> knows) {
    }

    private final List<Writer> writers;

    private Writers(List<Writer> writers) {
        this.writers = writers;
    }

    static Writers read(Repository repo) throws IOException {
        List<Writer> out = new ArrayList<>();
        RepositoryLock mine = repo.lock();
        Instant now = repo.clock().instant();
        for (RepositoryLock.Held held : RepositoryLock.list(repo.backend(), repo.key())) {
            if (mine != null && held.name().equals(mine.name())) {
                continue;
            }
            LockRecord r = held.record();
            if (r == null) {
                // A damaged lock could be anyone's: wait, as a lock conflict would.
                out.add(new Writer("a damaged lock " + held.name().name() + " ('strata unlock' removes it)", Set.of()));
            } else if (r.mode().refersToChunks() && !r.isStale(repo.host().host(), now)) {
                out.add(new Writer(r.describe(), r.knows()));
            }
        }
        for (Lease lease : Lease.list(repo.backend(), repo.key())) {
            out.add(new Writer(lease.owner() + " (lease of host " + lease.host() + ", updated " + lease.updated() + ")",
                    lease.knows()));
        }
        return new Writers(out);
    }

    /** Whether no writer is running (and no volume holds a lease). */
    boolean none() {
        return writers.isEmpty();
    }

    /** Whether every writer knows {@code c}, so that its packs may go. */
    boolean allKnow(Condemnation c) {
        return writers.stream().allMatch(w -> w.knows().contains(c.id()));
    }

    /** The writers that do not know {@code c} yet, described for people. */
    List<String> notKnowing(Condemnation c) {
        return writers.stream().filter(w -> !w.knows().contains(c.id())).map(Writer::who).toList();
    }
}
