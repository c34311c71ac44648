package dev.strata.core.tree;

import dev.strata.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile counts and sizes, decoded in a JVM with a 16 MiB heap: every one refused, none allocated. */
class HostileDecodeSmallHeapTest {
    @TempDir
    Path dir;

    @Test
    void everyHostileInput_isRefused_withoutAHugeAllocation() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx16m", "-XX:+UseSerialGC"), HostileDecodeMain.class, dir)) {
            List<String> lines = child.allLines(Duration.ofSeconds(60));
            assertThat(child.waitFor(Duration.ofSeconds(10))).as(child.stderr()).isZero();
            assertThat(lines).as(child.stderr()).hasSize(8).allSatisfy(l -> assertThat(l).endsWith(": corrupt"));
        }
    }
}
