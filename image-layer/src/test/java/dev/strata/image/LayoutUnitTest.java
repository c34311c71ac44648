package dev.strata.image;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte-range arithmetic and image names, without any tools. */
class LayoutUnitTest {
    @Test
    void merge_joinsOverlappingAndTouchingRanges_dropsEmptyOnes() {
        assertThat(ByteRange.merge(List.of(new ByteRange(10, 5), new ByteRange(0, 10), new ByteRange(30, 0),
                new ByteRange(40, 10), new ByteRange(45, 2))))
                .containsExactly(new ByteRange(0, 15), new ByteRange(40, 10));
    }

    @Test
    void complement_isWhatTheRangesLeaveOut() {
        assertThat(ImageCreator.complement(List.of(new ByteRange(0, 4), new ByteRange(10, 5)), 20))
                .containsExactly(new ByteRange(4, 6), new ByteRange(15, 5));
        assertThat(ImageCreator.complement(List.of(), 7)).containsExactly(new ByteRange(0, 7));
    }

    @Test
    void imageNames_areSafeFolderNames() {
        assertThat(Images.validName("laptop-ssd_2.0+x")).isTrue();
        assertThat(Images.validName("a/b")).isFalse();
        assertThat(Images.validName("..")).isFalse();
        assertThat(Images.validName("x:y")).isFalse();
        assertThat(Images.validName("")).isFalse();
    }

    @Test
    void description_survivesItsJson() throws Exception {
        ImageDescription d = new ImageDescription("pc", "/dev/sda", 1 << 30, 512, "gpt", "guid", List.of("p"), true,
                List.of(new ImageDescription.PartitionInfo(1, 1 << 20, 1 << 29, "t", "root", "g", "ext4", true, 12345, "", 3, 4096, 1, 2048)),
                null, List.of(new ByteRange(4096, 512)), false);
        assertThat(ImageDescription.fromJson(d.toJson())).isEqualTo(d);
    }
}
