package dev.strata.volume.state;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecordCacheTest {
    private static final byte[] NAME = "a.txt".getBytes(StandardCharsets.UTF_8);

    private static Inode file(long ino, int mode) {
        return Inode.of(ino, NodeType.FILE, mode, 0, 0, 0, null, new Timestamp(1, 0), Inode.ROOT, NAME);
    }

    @Test
    void aStepsWrites_areSeenOnlyOnceItCommitted() {
        RecordCache cache = new RecordCache();
        cache.begin();
        cache.wrote(file(5, 0644));
        cache.wroteEntry(Inode.ROOT, NAME, 5);
        assertThat(cache.inode(5)).isNull();
        assertThat(cache.entry(Inode.ROOT, NAME)).isNull();

        cache.committed();

        assertThat(cache.inode(5).mode()).isEqualTo(0644);
        assertThat(cache.entry(Inode.ROOT, NAME)).isEqualTo(5L);
    }

    @Test
    void aStepThatFailed_leavesNothing_forTheNextStepToCommit() {
        RecordCache cache = new RecordCache();
        cache.read(file(5, 0644));
        cache.begin();
        cache.wrote(file(5, 0600));
        cache.deletedEntry(Inode.ROOT, NAME);
        // no committed(): the step threw, its nested transaction was aborted

        cache.begin();
        cache.wrote(file(6, 0644));
        cache.committed();

        assertThat(cache.inode(5).mode()).isEqualTo(0644);
        assertThat(cache.entry(Inode.ROOT, NAME)).isNull();
        assertThat(cache.inode(6)).isNotNull();
    }

    @Test
    void deletions_areForgotten_andARemovedEntryIsKnownAbsent() {
        RecordCache cache = new RecordCache();
        cache.read(file(5, 0644));
        cache.readEntry(Inode.ROOT, NAME, 5);
        cache.begin();
        cache.deleted(5);
        cache.deletedEntry(Inode.ROOT, NAME);
        cache.committed();

        assertThat(cache.inode(5)).isNull();
        assertThat(cache.entry(Inode.ROOT, NAME)).isEqualTo(RecordCache.ABSENT);
    }

    @Test
    void aFullCache_startsAgain_ratherThanGrowWithoutBound() {
        RecordCache cache = new RecordCache();
        for (long ino = 2; ino < RecordCache.MAX + 10; ino++) {
            cache.read(file(ino, 0644));
        }
        assertThat(cache.inode(RecordCache.MAX + 9)).isNotNull();
        assertThat(cache.inode(2)).isNull();
    }
}
