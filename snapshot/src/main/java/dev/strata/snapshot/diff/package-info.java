/** Differences between two snapshots' trees. Imports fs-core's tree layer only. */
package dev.strata.snapshot.diff;
