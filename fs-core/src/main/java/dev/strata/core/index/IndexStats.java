package dev.strata.core.index;

/**
 * What the index holds.
 *
 * @param chunks      distinct chunks (data and tree)
 * @param treeChunks  distinct tree chunks among them
 * @param rawBytes    their plaintext bytes
 * @param storedBytes their bytes in packs (compressed and encrypted)
 * @param packBytes   total size of all packs, tables included
 */
public record IndexStats(long chunks, long treeChunks, long rawBytes, long storedBytes,
                         int dataPacks, int treePacks, long packBytes) {
}
