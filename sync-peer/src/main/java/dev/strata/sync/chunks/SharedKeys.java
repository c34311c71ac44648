package dev.strata.sync.chunks;

import dev.strata.core.crypto.ChunkIdHasher;
import dev.strata.sync.wire.SpaceId;

import java.util.Arrays;

/**
 * The keys the peers of one shared volume agree on so that its chunks have the same ids on every
 * peer: for now the chunk-id key (HMAC-SHA-256, docs/format.md §2.2); the chunker's Gear table joins
 * it when volumes are shared. They travel once, when a peer joins, over the authenticated channel;
 * never a repository's master key. Immutable; the key is copied in and out and never printed.
 */
public record SharedKeys(SpaceId space, byte[] chunkIdKey) {
    public SharedKeys {
        if (chunkIdKey.length != 32) {
            throw new IllegalArgumentException("a chunk-id key has 32 bytes, got " + chunkIdKey.length);
        }
        chunkIdKey = chunkIdKey.clone();
    }

    /** New random keys for a space. */
    public static SharedKeys generate(SpaceId space) {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return new SharedKeys(space, key);
    }

    @Override
    public byte[] chunkIdKey() {
        return chunkIdKey.clone();
    }

    /** Computes chunk ids under these keys. */
    public ChunkIdHasher hasher() {
        return ChunkIdHasher.withKey(chunkIdKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SharedKeys k && k.space.equals(space) && Arrays.equals(k.chunkIdKey, chunkIdKey);
    }

    @Override
    public int hashCode() {
        return space.hashCode();
    }

    @Override
    public String toString() {
        return "SharedKeys[space " + space + "]";
    }
}
