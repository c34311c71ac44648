package dev.strata.cli.jobs;

import java.nio.file.Path;

/** One {@code [mounts.NAME]} table: a repository the daemon keeps mounted at a folder. Immutable. */
public record MountConfig(String name, String repository, Path mountpoint) {
}
