package dev.strata.snapshot.view;

import dev.strata.core.id.ChunkId;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ListingsTest {
    private static final byte[] SNAP_A = {1, 2, 3};
    private static final byte[] SNAP_B = {4, 5, 6};
    private final AtomicInteger made = new AtomicInteger();

    private static ChunkId tree(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        return ChunkId.of(b);
    }

    private Listings.Maker names(int count) {
        return () -> {
            made.incrementAndGet();
            List<DirEntry> out = new ArrayList<>();
            Timestamp t = new Timestamp(0, 0);
            for (int i = 0; i < count; i++) {
                out.add(new DirEntry("n" + i, new Attributes(NodeType.FILE, 0644, 0, 0, 0, 0, t, t, t, i + 2, 1, 0)));
            }
            return out;
        };
    }

    @Test
    void aListing_isMadeOnce_perSnapshotAndTree() throws Exception {
        Listings l = new Listings(100);
        List<DirEntry> first = l.get(SNAP_A, tree(1), names(3));
        assertThat(l.get(new byte[] {1, 2, 3}, tree(1), names(3))).isSameAs(first);
        assertThat(made).hasValue(1);
        l.get(SNAP_B, tree(1), names(3));
        l.get(SNAP_A, tree(2), names(3));
        assertThat(made).hasValue(3);
        assertThat(l.entries()).isEqualTo(9);
    }

    @Test
    void theLeastRecentlyListed_goFirst_whenTheNamesPassTheBound() throws Exception {
        Listings l = new Listings(10);
        l.get(SNAP_A, tree(1), names(4));
        l.get(SNAP_A, tree(2), names(4));
        l.get(SNAP_A, tree(1), names(4)); // tree 1 is now the most recent
        l.get(SNAP_A, tree(3), names(4)); // 12 names: tree 2 goes
        assertThat(l.entries()).isEqualTo(8);
        assertThat(made).hasValue(3);
        l.get(SNAP_A, tree(1), names(4));
        assertThat(made).hasValue(3);
        l.get(SNAP_A, tree(2), names(4));
        assertThat(made).hasValue(4);
        assertThat(l.entries()).isLessThanOrEqualTo(10);
    }

    @Test
    void aFolderWiderThanTheBound_isListedButNotKept() throws Exception {
        Listings l = new Listings(10);
        l.get(SNAP_A, tree(1), names(4));
        assertThat(l.get(SNAP_A, tree(9), names(11))).hasSize(11);
        assertThat(l.entries()).isEqualTo(4);
        l.get(SNAP_A, tree(9), names(11));
        assertThat(made).hasValue(3);
    }
}
