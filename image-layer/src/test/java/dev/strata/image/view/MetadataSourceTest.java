package dev.strata.image.view;

import dev.strata.core.testing.RandomData;
import dev.strata.image.browse.ByteSource;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small reads served from kept windows give the partition's bytes, and read each window once while it is kept. */
class MetadataSourceTest {
    /** Not a whole number of windows: the last one is shorter. */
    private static final byte[] PARTITION = RandomData.bytes(3, 10 * MetadataSource.WINDOW + 12_345);

    private final AtomicInteger reads = new AtomicInteger();
    private final ByteSource partition = new ByteSource() {
        @Override
        public long size() {
            return PARTITION.length;
        }

        @Override
        public void readFully(long position, byte[] dst, int offset, int length) throws EOFException {
            if (position < 0 || position > PARTITION.length - length) {
                throw new EOFException("outside");
            }
            reads.incrementAndGet();
            System.arraycopy(PARTITION, (int) position, dst, offset, length);
        }
    };

    @Test
    void readsAnywhere_acrossWindowsAndTheShortLastOne_giveThePartitionsBytes() throws Exception {
        MetadataSource source = new MetadataSource(partition);
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            int length = random.nextInt(3) == 0 ? random.nextInt(3 * MetadataSource.WINDOW) : random.nextInt(9_000);
            int position = random.nextInt(PARTITION.length - length + 1);
            byte[] got = new byte[length + 2];
            source.readFully(position, got, 1, length);
            assertThat(Arrays.copyOfRange(got, 1, 1 + length)).as(length + " at " + position)
                    .isEqualTo(Arrays.copyOfRange(PARTITION, position, position + length));
        }
    }

    @Test
    void blocksOfOneWindow_readThePartitionOnce() throws Exception {
        MetadataSource source = new MetadataSource(partition);
        byte[] block = new byte[4096];
        for (int b = 0; b < MetadataSource.WINDOW / block.length; b++) {
            source.readFully(3L * MetadataSource.WINDOW + (long) b * block.length, block, 0, block.length);
        }
        assertThat(reads).hasValue(1);
        // A block across two windows reads the second one; the first is still kept.
        source.readFully(4L * MetadataSource.WINDOW - 100, block, 0, block.length);
        assertThat(reads).hasValue(2);
    }

    @Test
    void readsOutsideThePartition_failThere() {
        MetadataSource source = new MetadataSource(partition);
        assertThatThrownBy(() -> source.readFully(PARTITION.length - 10, new byte[20], 0, 20)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> source.readFully(-1, new byte[20], 0, 20)).isInstanceOf(EOFException.class);
    }
}
