/**
 * The chunk store: put bytes, get ids; get ids, get bytes. Runs the parallel put pipeline, keeps
 * the index in line with the packs, and caches decoded chunks. Imports the layers below it (index,
 * pack, chunk, compress, crypto, backend); never the repository, snapshots or views.
 */
package dev.strata.core.store;
