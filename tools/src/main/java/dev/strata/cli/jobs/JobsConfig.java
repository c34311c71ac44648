package dev.strata.cli.jobs;

import java.nio.file.Path;
import java.util.Map;

/**
 * A whole configuration file, validated: every job names a repository that exists. Maps keep the
 * file's order. Immutable.
 */
public record JobsConfig(Path file, Map<String, RepositoryConfig> repositories, Map<String, JobConfig> jobs,
                         Map<String, MountConfig> mounts) {
    public JobsConfig {
        repositories = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(repositories));
        jobs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(jobs));
        mounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(mounts));
    }

    public RepositoryConfig repositoryOf(JobConfig job) {
        return repositories.get(job.repository());
    }
}
