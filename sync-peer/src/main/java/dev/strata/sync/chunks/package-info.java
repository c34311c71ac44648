/**
 * The chunk exchange, the primitive later sync builds on (docs/sync.md, "Chunk exchange"): ask a peer
 * which of a list of chunks it lacks, send those, and on the receiving side verify each chunk's id
 * from its bytes under the space's chunk-id key before storing it. Built on the connections of
 * {@code net}; knows no volumes yet.
 */
package dev.strata.sync.chunks;
