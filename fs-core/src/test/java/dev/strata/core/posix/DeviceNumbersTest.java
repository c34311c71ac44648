package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Checks dev_t encoding against glibc's makedev. */
class DeviceNumbersTest {
    @Test
    void makedev_matchesGlibc() {
        assertThat(DeviceNumbers.makedev(1, 3)).isEqualTo(0x103L);
        assertThat(DeviceNumbers.makedev(259, 0)).isEqualTo(0x10300L);
        assertThat(DeviceNumbers.makedev(8, 17)).isEqualTo(0x811L);
        // Major bits above 12 go to bits 44-63, minor bits above 8 to bits 20-43 (checked with gcc).
        assertThat(DeviceNumbers.makedev(0x12345, 0x6789a)).isEqualTo(0x0001_2000_6783_459aL);
    }

    @Test
    void majorAndMinor_invertMakedev() {
        int[][] pairs = {{0, 0}, {1, 3}, {259, 70_000}, {0xfffff000, 0xffffff00}, {-1, -1}};
        for (int[] pair : pairs) {
            long dev = DeviceNumbers.makedev(pair[0], pair[1]);
            assertThat(DeviceNumbers.major(dev)).isEqualTo(pair[0]);
            assertThat(DeviceNumbers.minor(dev)).isEqualTo(pair[1]);
        }
    }
}
