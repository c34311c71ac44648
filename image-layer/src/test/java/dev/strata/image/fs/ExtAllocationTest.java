package dev.strata.image.fs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExtAllocationTest {
    @Test
    void sparseSuper_backupsInGroupsZeroOneAndPowersOfThreeFiveSeven() {
        for (long g : new long[]{0, 1, 3, 5, 7, 9, 25, 27, 49, 125, 343}) {
            assertThat(ExtAllocation.hasSuperBackup(g, true)).as("group " + g).isTrue();
        }
        for (long g : new long[]{2, 4, 6, 8, 10, 15, 21, 26, 50}) {
            assertThat(ExtAllocation.hasSuperBackup(g, true)).as("group " + g).isFalse();
        }
        assertThat(ExtAllocation.hasSuperBackup(4, false)).isTrue();
    }
}
