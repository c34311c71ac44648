/** Walking everything snapshots refer to, for prune's mark phase and check's structure pass. */
package dev.strata.snapshot.refs;
