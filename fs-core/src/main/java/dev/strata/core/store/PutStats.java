package dev.strata.core.store;

/**
 * What a chunk store has taken in since it was opened.
 *
 * @param bytesIn          plaintext bytes put, holes included
 * @param holeBytes        of those, bytes in all-zero chunks (not stored)
 * @param chunksNew        chunks stored for the first time
 * @param chunksDuplicate  chunks already in the repository (or put twice)
 * @param bytesNew         plaintext bytes of the new chunks
 * @param bytesStored      bytes the new chunks take in packs (compressed and encrypted)
 */
public record PutStats(long bytesIn, long holeBytes, long chunksNew, long chunksDuplicate, long bytesNew, long bytesStored) {
}
