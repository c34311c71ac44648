package dev.strata.core.repo;

import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.compress.ZstdCompressor;
import dev.strata.core.crypto.KdfParams;

/**
 * Settings chosen when a repository is created. {@code kdf} null means "calibrate on this machine".
 */
public record RepositoryOptions(ChunkerParams chunker, int compressionLevel, KdfParams kdf,
                                long dataPackSize, long treePackSize) {
    public static final long DEFAULT_DATA_PACK_SIZE = 32L << 20;
    public static final long DEFAULT_TREE_PACK_SIZE = 8L << 20;

    public RepositoryOptions {
        if (compressionLevel < 1 || compressionLevel > 19) {
            throw new IllegalArgumentException("compression level must be 1..19, got " + compressionLevel);
        }
        if (dataPackSize < 1 << 20 || dataPackSize > 1L << 30 || treePackSize < 1 << 16 || treePackSize > 1L << 30) {
            throw new IllegalArgumentException("pack sizes must be 1 MiB..1 GiB (data) and 64 KiB..1 GiB (tree)");
        }
    }

    public static RepositoryOptions defaults() {
        return new RepositoryOptions(ChunkerParams.DEFAULT, ZstdCompressor.DEFAULT_LEVEL, null,
                DEFAULT_DATA_PACK_SIZE, DEFAULT_TREE_PACK_SIZE);
    }

    public RepositoryOptions withKdf(KdfParams params) {
        return new RepositoryOptions(chunker, compressionLevel, params, dataPackSize, treePackSize);
    }

    public RepositoryOptions withChunker(ChunkerParams params) {
        return new RepositoryOptions(params, compressionLevel, kdf, dataPackSize, treePackSize);
    }

    public RepositoryOptions withCompressionLevel(int level) {
        return new RepositoryOptions(chunker, level, kdf, dataPackSize, treePackSize);
    }

    public RepositoryOptions withPackSizes(long data, long tree) {
        return new RepositoryOptions(chunker, compressionLevel, kdf, data, tree);
    }
}
