package dev.strata.sync.volumes;

import dev.strata.core.tree.NodeType;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VersionVector;

import java.util.Arrays;

/**
 * What to do with a peer's record of a path, given this device's (docs/sync.md, "Conflicts"): a
 * newer one is applied, an older or equal one ignored, a concurrent one decided by one rule that
 * gives the same result on every device — edit beats delete, then the later mtime, then the larger
 * author's short id. Stateless.
 */
final class ConflictRule {
    enum Kind { IGNORE, APPLY, KEEP_LOCAL }

    /**
     * @param record what the index takes (and, for APPLY, what the path is made to hold)
     * @param bump   whether it becomes this device's change (a conflict decided here): it then travels on
     * @param loser  the side a conflict did not keep, or null
     */
    record Decision(Kind kind, SyncRecord record, boolean bump, SyncRecord loser) {
    }

    private ConflictRule() {
    }

    static Decision decide(SyncRecord local, SyncRecord remote) {
        if (local == null) {
            return new Decision(Kind.APPLY, remote, false, null);
        }
        VersionVector.Order order = remote.vector().compare(local.vector());
        if (order == VersionVector.Order.AFTER) {
            return new Decision(Kind.APPLY, remote, false, null);
        }
        if (order != VersionVector.Order.CONCURRENT) {
            return new Decision(Kind.IGNORE, local, false, null);
        }
        VersionVector merged = local.vector().merge(remote.vector());
        if (remote.sameAs(local)) {
            // Both sides came to the same thing (often: both decided the same conflict): nothing is lost.
            return new Decision(Kind.APPLY, distinct(remote.withVersion(merged, remote.seq()).withCopies(local.copies())),
                    false, null);
        }
        if (local.type() == NodeType.DIRECTORY && remote.type() == NodeType.DIRECTORY && !local.deleted()
                && !remote.deleted()) {
            // A folder's record carries its metadata only (what it holds has records of its own): one
            // side's is taken by the rule, nothing is lost, and it is no conflict.
            return remoteWins(local, remote) ? new Decision(Kind.APPLY, remote.withVersion(merged, remote.seq()), true, null)
                    : new Decision(Kind.KEEP_LOCAL, local.withVersion(merged, local.seq()), true, null);
        }
        if (remoteWins(local, remote)) {
            return new Decision(Kind.APPLY, distinct(remote.withVersion(merged, remote.seq()).withCopies(copyOf(local))),
                    true, local);
        }
        return new Decision(Kind.KEEP_LOCAL, distinct(local.withVersion(merged, local.seq()).withCopies(copyOf(remote))),
                true, remote);
    }

    /**
     * The side a conflict does not keep, as a copy the outcome's record carries to every device (a
     * deletion and a folder need none), besides the copies that side itself carried.
     */
    private static java.util.List<SyncRecord.ConflictCopy> copyOf(SyncRecord loser) {
        java.util.List<SyncRecord.ConflictCopy> out = new java.util.ArrayList<>(loser.copies());
        if (!loser.deleted() && loser.type() == NodeType.FILE) {
            out.add(new SyncRecord.ConflictCopy(loser.content(), loser.size(), loser.mtime(), loser.mode(), loser.author()));
        }
        return out;
    }

    /** The record with each conflict copy once (by content), and none of its own content. */
    private static SyncRecord distinct(SyncRecord r) {
        java.util.List<SyncRecord.ConflictCopy> out = new java.util.ArrayList<>();
        for (SyncRecord.ConflictCopy c : r.copies()) {
            boolean seen = c.content().equals(r.content()) || out.stream().anyMatch(o -> o.content().equals(c.content()));
            if (!seen) {
                out.add(c);
            }
        }
        return r.withCopiesOnly(out);
    }

    /** The rule, symmetric: {@code remoteWins(a, b) == !remoteWins(b, a)} for records that are not the same. */
    static boolean remoteWins(SyncRecord local, SyncRecord remote) {
        if (local.deleted() != remote.deleted()) {
            return local.deleted(); // edit beats delete
        }
        int byTime = remote.mtime().compareTo(local.mtime());
        if (byTime != 0) {
            return byTime > 0;
        }
        int byAuthor = Long.compareUnsigned(remote.author(), local.author());
        if (byAuthor != 0) {
            return byAuthor > 0;
        }
        // One author, two concurrent records: only after a device lost its state. The bytes decide.
        return Arrays.compareUnsigned(remote.encodeContent(), local.encodeContent()) > 0;
    }
}
