/**
 * Snapshots: records of what was captured when (backups, images, volumes, replicas), and the jobs on
 * them — backup, restore, diff, retention, prune and check, in subpackages. Imports fs-core; never
 * FUSE, views of other modules or the CLI.
 */
package dev.strata.snapshot;
