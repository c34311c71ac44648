package dev.strata.image.browse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a located file's runs are counted as pieces on the disk. */
class FileLocatorTest {
    @Test
    void pieces_runsThatFollowEachOtherInTheFileAndOnTheDisk_areOne() {
        assertThat(FileLocator.pieces(List.of())).isZero();
        assertThat(FileLocator.pieces(List.of(new DataRun(0, 4096, 8192)))).isEqualTo(1);
        assertThat(FileLocator.pieces(List.of(new DataRun(0, 4096, 8192), new DataRun(8192, 12288, 4096)))).isEqualTo(1);
    }

    @Test
    void pieces_aHoleInTheFile_orAGapOnTheDisk_startsAnother() {
        // a hole: the next run is next on the disk but later in the file (mke2fs -d skips zero blocks so)
        assertThat(FileLocator.pieces(List.of(new DataRun(0, 4096, 8192), new DataRun(12288, 12288, 4096)))).isEqualTo(2);
        // a fragment: next in the file, elsewhere on the disk
        assertThat(FileLocator.pieces(List.of(new DataRun(0, 4096, 8192), new DataRun(8192, 65536, 4096)))).isEqualTo(2);
        assertThat(FileLocator.pieces(List.of(new DataRun(0, 0, 10), new DataRun(20, 10, 10), new DataRun(30, 20, 10),
                new DataRun(40, 500, 10)))).isEqualTo(3);
    }
}
