package dev.strata.volume.view;

import dev.strata.core.view.Inodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MountInodesTest {
    private static final byte[] VOLUME = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** Remembered or not, an inode's number is the stable hash; inodes sharing a slot do not mix. */
    @Test
    void numbers_areTheStableHash_forInodesThatShareASlot() {
        MountInodes inodes = new MountInodes(VOLUME);
        long[] asked = {1, 2, 8193, 1 + (1L << 13), 2, 1, 1L << 40, 1 + (1L << 40), 8193};
        for (int round = 0; round < 2; round++) {
            for (long ino : asked) {
                assertThat(inodes.of(ino)).as("inode " + ino).isEqualTo(Inodes.ofSaved(VOLUME, -1, ino));
            }
        }
        assertThat(inodes.of(1)).isNotEqualTo(inodes.of(1 + (1L << 13)));
    }
}
