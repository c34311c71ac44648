package dev.strata.sync.volumes;

import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VersionVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConflictRuleTest {
    private static final long A = 1;
    private static final long B = 2;

    private static SyncRecord file(long author, VersionVector v, long mtime, int mode) {
        return new SyncRecord("f".getBytes(StandardCharsets.UTF_8), false, NodeType.FILE, mode, 0, 0,
                new Timestamp(mtime, 0), 0, FileContent.EMPTY, new byte[0], List.of(), 0, author, v, 5);
    }

    @Test
    void newerIsApplied_olderAndEqualAreIgnored() {
        VersionVector v1 = VersionVector.EMPTY.bump(A, 1);
        VersionVector v2 = v1.bump(B, 2);
        SyncRecord older = file(A, v1, 10, 0644);
        SyncRecord newer = file(B, v2, 5, 0600);
        assertThat(ConflictRule.decide(null, older).kind()).isEqualTo(ConflictRule.Kind.APPLY);
        assertThat(ConflictRule.decide(older, newer).kind()).isEqualTo(ConflictRule.Kind.APPLY);
        assertThat(ConflictRule.decide(older, newer).loser()).isNull();
        assertThat(ConflictRule.decide(newer, older).kind()).isEqualTo(ConflictRule.Kind.IGNORE);
        assertThat(ConflictRule.decide(newer, newer).kind()).isEqualTo(ConflictRule.Kind.IGNORE);
    }

    @Test
    void concurrentChanges_areDecidedAlikeOnBothSides_byEditOverDeleteThenTimeThenAuthor() {
        VersionVector base = VersionVector.EMPTY.bump(A, 1);
        SyncRecord atA = file(A, base.bump(A, 3), 100, 0644);
        SyncRecord atB = file(B, base.bump(B, 4), 200, 0600);
        // Later mtime wins, whichever side decides.
        ConflictRule.Decision onA = ConflictRule.decide(atA, atB);
        ConflictRule.Decision onB = ConflictRule.decide(atB, atA);
        assertThat(onA.kind()).isEqualTo(ConflictRule.Kind.APPLY);
        assertThat(onA.loser()).isSameAs(atA);
        assertThat(onB.kind()).isEqualTo(ConflictRule.Kind.KEEP_LOCAL);
        assertThat(onB.loser()).isSameAs(atA);
        assertThat(onA.record().vector()).isEqualTo(onB.record().vector()).isEqualTo(atA.vector().merge(atB.vector()));
        assertThat(onA.bump()).isTrue();

        // The same mtime: the larger author wins.
        SyncRecord sameTimeA = file(A, base.bump(A, 3), 100, 0644);
        SyncRecord sameTimeB = file(B, base.bump(B, 4), 100, 0600);
        assertThat(ConflictRule.remoteWins(sameTimeA, sameTimeB)).isTrue();
        assertThat(ConflictRule.remoteWins(sameTimeB, sameTimeA)).isFalse();

        // Edit beats delete, even an older edit.
        SyncRecord deleted = file(B, base.bump(B, 4), 900, 0644).tombstone(base.bump(B, 4), 6);
        assertThat(ConflictRule.remoteWins(deleted, atA)).isTrue();
        assertThat(ConflictRule.remoteWins(atA, deleted)).isFalse();
    }

    @Test
    void concurrentRecordsThatSayTheSame_mergeWithoutAConflict() {
        VersionVector base = VersionVector.EMPTY.bump(A, 1);
        SyncRecord x = file(A, base.bump(A, 3), 100, 0644);
        SyncRecord y = file(B, base.bump(B, 4), 100, 0644);
        ConflictRule.Decision d = ConflictRule.decide(x, y);
        assertThat(d.kind()).isEqualTo(ConflictRule.Kind.APPLY);
        assertThat(d.loser()).isNull();
        assertThat(d.bump()).isFalse();
        assertThat(d.record().vector()).isEqualTo(x.vector().merge(y.vector()));
    }

    @Test
    void theOutcomeOfAConflict_carriesTheContentNotKept_toEveryDevice() {
        VersionVector base = VersionVector.EMPTY.bump(A, 1);
        byte[] id = new byte[32];
        id[0] = 7;
        FileContent mine = new FileContent.Inline(List.of(dev.strata.core.store.ChunkRef.chunk(dev.strata.core.id.ChunkId.of(id), 5)));
        SyncRecord atA = new SyncRecord("f".getBytes(StandardCharsets.UTF_8), false, NodeType.FILE, 0644, 0, 0,
                new Timestamp(100, 0), 5, mine, new byte[0], List.of(), 0, A, base.bump(A, 3), 5);
        SyncRecord atB = file(B, base.bump(B, 4), 200, 0644);

        ConflictRule.Decision onA = ConflictRule.decide(atA, atB); // b's is later: a's content loses
        assertThat(onA.record().copies()).singleElement().satisfies(c -> {
            assertThat(c.content()).isEqualTo(mine);
            assertThat(c.author()).isEqualTo(A);
        });
        ConflictRule.Decision onB = ConflictRule.decide(atB, atA);
        assertThat(onB.record().copies()).extracting(SyncRecord.ConflictCopy::content).containsExactly(mine);

        // A deletion that loses needs no copy.
        SyncRecord deleted = atB.tombstone(base.bump(B, 4), 6);
        assertThat(ConflictRule.decide(deleted, atA).record().copies()).isEmpty();
    }
}
