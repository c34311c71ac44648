package dev.strata.cli.jobs;

import java.time.Duration;
import java.util.List;

/**
 * One {@code [jobs.NAME]} table: what is backed up into which repository, when, and what is kept.
 * Immutable.
 *
 * @param stdinCommand   a shell command whose output is saved as one file (backup {@code --stdin}), or null
 * @param stdinFilename  the file name of that output in the snapshot
 * @param before         a shell command run first (the job fails if it fails), or null
 * @param after          a shell command run last, whatever the result, or null
 * @param schedule       when the job runs on its own, or null: only when named ({@code strata run NAME})
 * @param maxAge         how long the job may go without a success before {@code strata jobs --check} fails, or null
 */
public record JobConfig(String name, String repository, List<String> paths, List<String> exclude, List<String> tags,
                        boolean oneFileSystem, String stdinCommand, String stdinFilename, String before, String after,
                        Schedule schedule, Retention retention, Duration maxAge) {
    public JobConfig {
        paths = List.copyOf(paths);
        exclude = List.copyOf(exclude);
        tags = List.copyOf(tags);
    }

    /** The tag every snapshot of this job carries, by which its retention finds them. */
    public String jobTag() {
        return "job:" + name;
    }
}
