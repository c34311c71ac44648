package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncRecordTest {
    private static SyncRecord sample() {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) 7);
        return new SyncRecord("a/b.txt".getBytes(StandardCharsets.UTF_8), false, NodeType.FILE, 0640, 1000, 100,
                new Timestamp(1_700_000_000L, 123_456_789), 5000,
                new dev.strata.core.tree.FileContent.Inline(List.of(ChunkRef.chunk(ChunkId.of(id), 1000), ChunkRef.hole(4000))), new byte[0],
                List.of(new Xattr("user.note", new byte[]{1, 2})), 42, 9,
                VersionVector.EMPTY.bump(9, 3).bump(4, 11), 77);
    }

    @Test
    void encoding_readsBackTheSameRecord() throws CorruptDataException {
        SyncRecord r = sample();
        SyncRecord back = SyncRecord.decode(r.encode(), "test");
        assertThat(back).isEqualTo(r);
        assertThat(back.content()).isEqualTo(r.content());
        assertThat(back.vector()).isEqualTo(r.vector());
        assertThat(back.seq()).isEqualTo(77);
        SyncRecord withCopy = r.withCopies(List.of(new SyncRecord.ConflictCopy(r.content(), 5000, new Timestamp(3, 4), 0600, 7)));
        assertThat(SyncRecord.decode(withCopy.encode(), "test")).isEqualTo(withCopy);
        assertThat(SyncRecord.decode(withCopy.encode(), "test").copies()).hasSize(1);
        SyncRecord tomb = r.tombstone(r.vector().bump(9, 80), 80);
        assertThat(SyncRecord.decode(tomb.encode(), "test")).isEqualTo(tomb);
    }

    @Test
    void damagedBytes_areRefused_namingWhere() {
        byte[] b = sample().encode();
        assertThatThrownBy(() -> SyncRecord.decode(Arrays.copyOf(b, b.length - 3), "record from peer X"))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("record from peer X");
        byte[] extra = Arrays.copyOf(b, b.length + 1);
        assertThatThrownBy(() -> SyncRecord.decode(extra, "r")).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void sameAs_ignoresVectorAndSequence_butNotContentOrMetadata() {
        SyncRecord r = sample();
        assertThat(r.sameAs(r.withVersion(VersionVector.EMPTY.bump(1, 1), 1))).isTrue();
        SyncRecord other = new SyncRecord(r.path(), false, r.type(), 0600, r.uid(), r.gid(), r.mtime(), r.size(),
                r.content(), r.target(), r.xattrs(), r.group(), r.author(), r.vector(), r.seq());
        assertThat(r.sameAs(other)).isFalse();
        assertThat(r.sameAs(r.tombstone(r.vector(), 1))).isFalse();
    }
}
