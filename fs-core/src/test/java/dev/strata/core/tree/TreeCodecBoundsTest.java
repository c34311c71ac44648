package dev.strata.core.tree;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trees from a hostile repository: names that would escape a folder, and counts and sizes no real
 * tree has, are damage naming the tree, found before anything is allocated for them.
 */
class TreeCodecBoundsTest {
    private static final ChunkId SOME = ChunkId.of(new byte[32]);

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "/", "a\u0000b", "", "../../etc"})
    void unsafeNames_areRefused(String name) {
        byte[] tree = HostileTrees.treeWithName(name, SOME, null);
        assertThatThrownBy(() -> TreeCodec.decode(tree, "tree 0badc0de"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageStartingWith("tree 0badc0de: ");
    }

    @Test
    void entryCountBeyondTheObject_isRefusedBeforeAllocating() {
        for (long count : new long[] {1L << 31, (1L << 31) - 1, 1L << 62, -1L}) {
            byte[] tree = HostileTrees.treeClaimingEntries(count, 64);
            assertThatThrownBy(() -> TreeCodec.decode(tree, "tree 1")).isExactlyInstanceOf(CorruptDataException.class)
                    .hasMessageContaining("does not fit in the");
        }
        // As many entries as bytes: a count the old bound let through, 20 times what the bytes can hold.
        byte[] dense = HostileTrees.treeClaimingEntries(1 << 20, 1 << 20);
        assertThatThrownBy(() -> TreeCodec.decode(dense, "tree 2")).hasMessageContaining("does not fit in the");
    }

    @Test
    void xattrAndReferenceCounts_areBoundedByTheBytesLeft() {
        assertThatThrownBy(() -> TreeCodec.decode(HostileTrees.treeClaimingXattrs(1L << 31), "tree 3"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> TreeCodec.decode(HostileTrees.treeClaimingReferences(1L << 31), "tree 4"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> TreeCodec.decodeContentList(HostileTrees.contentListClaiming(1L << 31, 16), "list 5"))
                .isExactlyInstanceOf(CorruptDataException.class).hasMessageContaining("list 5: count 2147483648");
    }

    /** A 2^62-byte sparse file is possible (XFS, tmpfs): it decodes; nothing is read for a hole. */
    @Test
    void hugeHole_decodes() throws CorruptDataException {
        Tree t = TreeCodec.decode(HostileTrees.treeWithFile("huge", List.of(ChunkRef.hole(1L << 62)), -1), "tree 6");
        assertThat(t.nodes().get(0).size()).isEqualTo(1L << 62);
    }

    @Test
    void contentPastTwoToTheSixtyThree_isRefused() {
        List<ChunkRef> refs = List.of(ChunkRef.hole(1L << 62), ChunkRef.hole(1L << 62));
        // The true sum wraps to -2^63; declared as that same (unsigned 2^63) value it used to be accepted.
        byte[] tree = HostileTrees.treeWithFile("wraps", refs, Long.MIN_VALUE);
        assertThatThrownBy(() -> TreeCodec.decode(tree, "tree 7")).isExactlyInstanceOf(CorruptDataException.class);
        byte[] overflow = HostileTrees.treeWithFile("wraps", List.of(ChunkRef.hole(Long.MAX_VALUE), ChunkRef.hole(2)), 1);
        assertThatThrownBy(() -> TreeCodec.decode(overflow, "tree 8")).isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("content longer than 2^63 bytes");
    }

    @Test
    void declaredSizeThatDiffersFromTheContent_isRefused() {
        byte[] tree = HostileTrees.treeWithFile("f", List.of(ChunkRef.chunk(SOME, 100)), 1L << 62);
        assertThatThrownBy(() -> TreeCodec.decode(tree, "tree 9")).isExactlyInstanceOf(CorruptDataException.class)
                .hasMessageContaining("has size 4611686018427387904 but content of 100 bytes");
    }
}
