package dev.strata.core.tree;

import dev.strata.core.id.ChunkId;

/** One content list of an indirect file: the list's id, the bytes and the references it covers. */
public record ContentBlock(ChunkId list, long bytes, int references) {
    public ContentBlock {
        if (bytes <= 0 || references <= 0) {
            throw new IllegalArgumentException("an empty content list");
        }
    }
}
