package dev.strata.volume.state;

import dev.strata.core.tree.FileContent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealRecordTest {
    private static final FileContent EMPTY = FileContent.EMPTY;

    @Test
    void aSealCarryingItsWrittenBytes_readsBackWithThem() throws Exception {
        SealRecord s = new SealRecord(7, 3, 0, EMPTY, 0, List.of(new Extent(2, 5)), 5, EMPTY, new byte[] {1, 2},
                new byte[] {0, 0, 'a', 'b', 'c'});
        SealRecord back = SealRecord.decode(s.encode());
        assertThat(back.inline()).containsExactly(0, 0, 'a', 'b', 'c');
        assertThat(back.seq()).isEqualTo(7);
        assertThat(back.extents()).containsExactly(new Extent(2, 5));
    }

    @Test
    void aSealWithAnOverlayFile_carriesNoBytes() throws Exception {
        SealRecord s = new SealRecord(7, 3, 42, EMPTY, 0, List.of(new Extent(0, 5)), 5, EMPTY, new byte[] {1}, null);
        SealRecord back = SealRecord.decode(s.encode());
        assertThat(back.inline()).isNull();
        assertThat(back.overlay()).isEqualTo(42);
        assertThatThrownBy(() -> new SealRecord(7, 3, 42, EMPTY, 0, List.of(), 5, EMPTY, new byte[] {1}, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Seals written before records could carry bytes (record version 1) are still read, after an upgrade. */
    @Test
    void aSealOfTheFirstRecordVersion_isStillRead() throws Exception {
        byte[] v1 = new RecordOutput().u8(1).u64(7).u64(3).u64(42).content(EMPTY).u64(0).u32(1).u64(0).u64(5)
                .u64(5).content(EMPTY).bytes(new byte[] {1}).toBytes();
        SealRecord back = SealRecord.decode(v1);
        assertThat(back.overlay()).isEqualTo(42);
        assertThat(back.inline()).isNull();
        assertThat(back.extents()).containsExactly(new Extent(0, 5));
    }
}
