package dev.strata.cli.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * What the state file remembers of a job: its last run and how it went, its last success, and how
 * many runs in a row failed. Immutable.
 *
 * @param lastRun         the start of the last run, or null if it never ran
 * @param result          that run's {@link JobOutcome.Result}, or null
 * @param bytesAdded      what that run's backup added to the repository, or -1
 * @param snapshot        the id of that run's snapshot, or null
 * @param message         what went wrong, or null
 * @param firstRun        the start of the first run recorded, the age of a job that never succeeded
 * @param failuresInARow  failed runs since the last success
 */
public record JobRecord(Instant lastRun, JobOutcome.Result result, Duration duration, long bytesAdded, String snapshot,
                        String message, Instant lastSuccess, Instant firstRun, int failuresInARow) {
    public static final JobRecord NEVER = new JobRecord(null, null, null, -1, null, null, null, null, 0);

    /** This record after {@code o}. */
    JobRecord after(JobOutcome o) {
        boolean success = o.result() != JobOutcome.Result.FAILED;
        return new JobRecord(o.started(), o.result(), o.duration(), o.bytesAdded(), o.snapshot(), o.message(),
                success ? o.started() : lastSuccess, firstRun == null ? o.started() : firstRun,
                success ? 0 : failuresInARow + 1);
    }

    /**
     * Why the job needs a person, or null: it failed twice in a row, or has gone without a success
     * for longer than {@code maxAge} (null: no limit).
     */
    public String alarm(Duration maxAge, Instant now) {
        if (failuresInARow >= 2) {
            return "failed " + failuresInARow + " times in a row" + (message == null ? "" : " (last: " + message + ")");
        }
        if (maxAge != null) {
            Instant since = lastSuccess != null ? lastSuccess : firstRun;
            if (since != null && Duration.between(since, now).compareTo(maxAge) > 0) {
                return (lastSuccess != null ? "no success since " + lastSuccess : "no success since its first run at " + firstRun)
                        + ", longer than its max-age of " + Durations.format(maxAge);
            }
        }
        return null;
    }
}
