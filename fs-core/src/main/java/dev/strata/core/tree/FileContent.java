package dev.strata.core.tree;

import dev.strata.core.store.ChunkRef;

import java.util.List;

/**
 * A file's content in a tree node: its chunk references inline, or (for large files) the content
 * lists that hold them (docs/format.md §10.2, §10.4).
 */
public sealed interface FileContent permits FileContent.Inline, FileContent.Indirect {
    FileContent EMPTY = new Inline(List.of());

    /** The bytes the content covers. */
    long size();

    /** References held in the node itself. */
    record Inline(List<ChunkRef> refs) implements FileContent {
        public Inline {
            refs = List.copyOf(refs);
        }

        @Override
        public long size() {
            long s = 0;
            for (ChunkRef r : refs) {
                s += r.length();
            }
            return s;
        }
    }

    /** References held in separate content lists. */
    record Indirect(List<ContentBlock> blocks) implements FileContent {
        public Indirect {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty()) {
                throw new IllegalArgumentException("an indirect content has at least one list");
            }
        }

        @Override
        public long size() {
            long s = 0;
            for (ContentBlock b : blocks) {
                s += b.bytes();
            }
            return s;
        }
    }
}
