package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Checks the statx decoder against a buffer laid out by hand. */
class StatxLayoutTest {
    @Test
    void decode_readsEveryFieldAtItsOffset() {
        ByteBuffer b = ByteBuffer.allocate(StatxLayout.SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0x00, StatxLayout.STATX_BASIC_STATS | StatxLayout.STATX_BTIME);
        b.putInt(0x04, 4096);
        b.putInt(0x10, 3);
        b.putInt(0x14, 1000);
        b.putInt(0x18, -2); // 4294967294, a valid unsigned gid
        b.putShort(0x1c, (short) 0120777);
        b.putLong(0x20, 0x1_0000_0001L);
        b.putLong(0x28, 1L << 40);
        b.putLong(0x30, 16);
        timestamp(b, 0x40, 1, 2);
        timestamp(b, 0x50, 3, 4);
        timestamp(b, 0x60, 5, 6);
        timestamp(b, 0x70, -7, 999_999_999);
        b.putInt(0x80, 259).putInt(0x84, 70_000).putInt(0x88, 8).putInt(0x8c, 1);

        FileStatus status = StatxLayout.decode(b.array());

        assertThat(status.blockSize()).isEqualTo(4096);
        assertThat(status.links()).isEqualTo(3);
        assertThat(status.uid()).isEqualTo(1000);
        assertThat(Integer.toUnsignedLong(status.gid())).isEqualTo(4294967294L);
        assertThat(status.mode()).isEqualTo(0120777);
        assertThat(status.isSymlink()).isTrue();
        assertThat(status.inode()).isEqualTo(0x1_0000_0001L);
        assertThat(status.size()).isEqualTo(1L << 40);
        assertThat(status.blocks()).isEqualTo(16);
        assertThat(status.atime()).isEqualTo(new Timespec(1, 2));
        assertThat(status.btime()).contains(new Timespec(3, 4));
        assertThat(status.ctime()).isEqualTo(new Timespec(5, 6));
        assertThat(status.mtime()).isEqualTo(new Timespec(-7, 999_999_999));
        assertThat(status.rdevMajor()).isEqualTo(259);
        assertThat(status.rdevMinor()).isEqualTo(70_000);
        assertThat(status.device()).isEqualTo(DeviceNumbers.makedev(8, 1));
    }

    @Test
    void decode_withoutBtimeInMask_hasNoBirthTime() {
        ByteBuffer b = ByteBuffer.allocate(StatxLayout.SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0x00, StatxLayout.STATX_BASIC_STATS);
        timestamp(b, 0x50, 3, 4);

        assertThat(StatxLayout.decode(b.array()).btime()).isEmpty();
    }

    private static void timestamp(ByteBuffer b, int offset, long seconds, int nanos) {
        b.putLong(offset, seconds);
        b.putInt(offset + 8, nanos);
    }
}
