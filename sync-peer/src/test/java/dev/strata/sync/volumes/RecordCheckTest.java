package dev.strata.sync.volumes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Which paths a peer's record may carry: any inside the volume, none that leaves it or cannot be a name. */
class RecordCheckTest {
    private static String bad(String path) {
        return RecordCheck.badPath(path.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pathsInsideTheVolume_pass_dotsInNamesIncluded() {
        for (String ok : new String[]{"a", "a/b.txt", ".hidden", "a/..b", "...", "a/.b/c", "é/日本", "n".repeat(255),
                ("d".repeat(254) + "/").repeat(17).substring(0, 4095)}) {
            assertThat(bad(ok)).as(ok).isNull();
        }
    }

    @Test
    void pathsThatLeaveTheVolumeOrCannotBeNames_areNamed() {
        assertThat(bad("")).isEqualTo("an empty path");
        assertThat(bad("/a")).isEqualTo("an absolute path");
        assertThat(bad("..")).isEqualTo("a path with '..' in it");
        assertThat(bad("a/../b")).isEqualTo("a path with '..' in it");
        assertThat(bad("a/.")).isEqualTo("a path with '.' in it");
        assertThat(bad("a//b")).isEqualTo("a path with an empty name in it");
        assertThat(bad("a/")).isEqualTo("a path with an empty name in it");
        assertThat(bad("a\0b")).isEqualTo("a path with a NUL byte");
        assertThat(bad("n".repeat(256))).isEqualTo("a name of 256 bytes in the path, more than 255");
        assertThat(bad("d/".repeat(2048))).isEqualTo("a path of 4096 bytes, more than 4095");
    }
}
