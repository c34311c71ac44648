package dev.strata.volume;

import dev.strata.core.repo.Lease;
import dev.strata.core.repo.Repository;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A volume's lease in the repository (docs/format.md §7.1): while the volume is open its local state
 * may refer to chunks no checkpoint holds yet, and the lease tells prune which condemnations the
 * volume knows, so that nothing it refers to is deleted — even after its process dies. Thread-safe.
 */
final class VolumeLease {
    /** How often an open volume looks for new condemnations ({@code STRATA_CONDEMNATION_POLL_SECONDS}: tests). */
    static final Duration POLL = Duration.ofSeconds(pollSeconds(System.getenv("STRATA_CONDEMNATION_POLL_SECONDS")));

    private final Repository repo;
    private final boolean leftOver;
    private Lease lease;
    private Instant lastPoll;

    private VolumeLease(Repository repo, Lease lease, boolean leftOver) {
        this.repo = repo;
        this.lease = lease;
        this.leftOver = leftOver;
        this.lastPoll = repo.clock().instant();
    }

    /**
     * Takes the lease of {@code record}'s volume. A lease already there was left by a process that
     * ended without closing the volume: it is kept as it is until {@link #acknowledge} replaces it,
     * after the volume's state is in a checkpoint.
     */
    static VolumeLease take(Repository repo, VolumeRecord record) throws IOException {
        Optional<Lease> old = Lease.read(repo.backend(), repo.key(), record.volumeIdHex());
        if (old.isPresent()) {
            return new VolumeLease(repo, old.get(), true);
        }
        // The state equals the newest checkpoint here: it knows every condemnation there is.
        Set<String> ids = repo.refreshCondemnations();
        Lease fresh = new Lease(record.volumeIdHex(), "volume " + record.name(), repo.host().host(),
                repo.clock().instant(), ids);
        fresh.write(repo.backend(), repo.key());
        return new VolumeLease(repo, fresh, false);
    }

    static long pollSeconds(String env) {
        try {
            return env == null ? 30 : Math.max(1, Long.parseLong(env.trim()));
        } catch (NumberFormatException e) {
            return 30;
        }
    }

    /** Whether the last process holding the volume ended without closing it. */
    boolean leftOver() {
        return leftOver;
    }

    /**
     * Lists the condemnations and makes the store avoid them (at most every {@link #POLL} unless
     * {@code now}); returns their ids when the lease does not know them all yet, else empty.
     */
    synchronized Optional<Set<String>> unknownCondemnations(boolean now) throws IOException {
        Instant t = repo.clock().instant();
        if (!now && t.isBefore(lastPoll.plus(POLL))) {
            return Optional.empty();
        }
        lastPoll = t;
        Set<String> ids = repo.refreshCondemnations();
        return ids.equals(lease.knows()) ? Optional.empty() : Optional.of(ids);
    }

    /** Says that the volume knows {@code ids}: call only once its state is in a checkpoint. */
    synchronized void acknowledge(Set<String> ids) throws IOException {
        Lease next = lease.knowing(ids, repo.clock().instant());
        next.write(repo.backend(), repo.key());
        lease = next;
    }

    /** Gives the lease up: call only when the state is in a checkpoint and the volume closes. */
    synchronized void release() throws IOException {
        lease.delete(repo.backend());
    }
}
