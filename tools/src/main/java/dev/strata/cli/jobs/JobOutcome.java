package dev.strata.cli.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * How one run of a job went. Immutable.
 *
 * @param bytesAdded what the backup added to the repository, or -1 if it saved nothing
 * @param snapshot   the new snapshot's id, or null
 * @param pruned     whether the repository's scheduled prune ran after it
 * @param checked    whether the repository's scheduled check ran after it
 * @param message    what went wrong (or was left out), or null
 */
public record JobOutcome(String job, Result result, Instant started, Duration duration, long bytesAdded, String snapshot,
                         boolean pruned, boolean checked, String message) {
    /** The result of a run; the names are those the state file and {@code --json} carry. */
    public enum Result {
        /** Everything ran. */
        OK,
        /** The snapshot was saved but left something out (unreadable files); listed by the backup. */
        INCOMPLETE,
        FAILED,
        /** Another run of the job was under way, so this one did not start. */
        BUSY;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Result of(String word) {
            return valueOf(word.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
