package dev.strata.snapshot.backup.filter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SameFileSystemTest {

    @Test
    void crossesBoundary_onlyForAnotherDevice() {
        SameFileSystem fs = SameFileSystem.of(2049);

        assertThat(fs.crossesBoundary(2049)).isFalse();
        assertThat(fs.crossesBoundary(64768)).isTrue();
        assertThat(fs.rootDevice()).isEqualTo(2049);
        assertThat(fs).hasToString("SameFileSystem[device=2049]");
    }

    @Test
    void deviceIds_mayBeNegative() {
        // st_dev is unsigned; Java reads it as a long, so very large ids wrap. Equality is all we need.
        assertThat(SameFileSystem.of(-1).crossesBoundary(-1)).isFalse();
        assertThat(SameFileSystem.of(-1).crossesBoundary(Long.MAX_VALUE)).isTrue();
    }
}
