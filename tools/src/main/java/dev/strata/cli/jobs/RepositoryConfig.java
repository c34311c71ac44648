package dev.strata.cli.jobs;

import java.nio.file.Path;

/**
 * One {@code [repositories.NAME]} table: where the repository is, where its password comes from,
 * and when it is pruned and checked. Immutable.
 *
 * @param location        a folder or an {@code s3:} URL, as {@code --repo} takes it
 * @param passwordFile    a file whose first line is the password, or null
 * @param passwordCommand a shell command that prints the password, or null
 * @param cacheDir        the index cache folder, or null for the default
 * @param prune           when to prune after a job on this repository, or null for never
 * @param check           when to check after a job on this repository, or null for never
 * @param checkReadData   the {@code --read-data-subset} of a scheduled check ({@code 5%}, {@code 1/7}), or null
 */
public record RepositoryConfig(String name, String location, Path passwordFile, String passwordCommand, Path cacheDir,
                               Schedule prune, Schedule check, String checkReadData) {
}
