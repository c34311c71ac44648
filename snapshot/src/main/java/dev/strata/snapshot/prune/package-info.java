/** Prune: deleting and repacking packs no snapshot needs, crash-safe at every step. */
package dev.strata.snapshot.prune;
