/**
 * Copying snapshots between repositories with different keys ({@code strata copy}): chunks are
 * read and authenticated in the source, identified again under the target's key and stored only when
 * the target lacks them; trees are re-encoded with the target's ids. Imports no CLI.
 */
package dev.strata.snapshot.copy;
