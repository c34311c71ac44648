/**
 * Repair of snapshots that refer to data the repository has lost: each is rewritten into a new
 * snapshot without the lost data. Uses the index's knowledge of lost chunks; imports no CLI.
 */
package dev.strata.snapshot.repair;
