/** Stats: how much data snapshots refer to, before and after deduplication and compression; must not import the CLI. */
package dev.strata.snapshot.stats;
