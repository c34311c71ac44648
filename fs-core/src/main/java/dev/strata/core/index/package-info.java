/**
 * The index: an LMDB cache mapping chunk ids to packs and entries, rebuildable from the packs.
 * Imports pack (for entry records), id and error; never the store, the backend or the repository.
 */
package dev.strata.core.index;
