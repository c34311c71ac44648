package dev.strata.core.pack;

import dev.strata.core.id.Hex;

import java.util.Arrays;

/**
 * The chunk-id key a pack's ids are under (docs/format.md §5.1): the repository's own (version 1 packs)
 * or a shareable volume's, named by its 16-byte volume id (version 2 packs). Immutable.
 */
public final class KeySpace {
    public static final KeySpace REPOSITORY = new KeySpace(null);

    private final byte[] volumeId;

    private KeySpace(byte[] volumeId) {
        this.volumeId = volumeId;
    }

    public static KeySpace ofVolume(byte[] volumeId) {
        if (volumeId.length != 16) {
            throw new IllegalArgumentException("a volume id has 16 bytes, got " + volumeId.length);
        }
        return new KeySpace(volumeId.clone());
    }

    public boolean isRepository() {
        return volumeId == null;
    }

    /** The volume's id; only for a volume's space. */
    public byte[] volumeId() {
        if (volumeId == null) {
            throw new IllegalStateException("the repository's key space names no volume");
        }
        return volumeId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySpace k && Arrays.equals(k.volumeId, volumeId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(volumeId);
    }

    @Override
    public String toString() {
        return volumeId == null ? "the repository's key" : "the key of volume " + Hex.encode(volumeId).substring(0, 8);
    }
}
