package dev.strata.core.compress;

import dev.strata.core.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compression and decompression never pin a Java array: with threads compressing and decompressing
 * and another allocating, the serial
 * collector of a child JVM never has to wait for a JNI critical section to end (a "GCLocker
 * Initiated GC"), which is when it grows the heap instead of collecting.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZstdCompressorGcTest {
    @TempDir
    Path dir;

    @Test
    void compressingAndDecompressingThreads_neverHoldTheCollectorBack() throws Exception {
        Path gcLog = dir.resolve("gc.log");
        List<String> options = List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog);
        try (ChildJvm child = ChildJvm.start(options, CompressWhileCollectingMain.class, dir)) {
            List<String> lines = child.allLines(Duration.ofSeconds(90));
            assertThat(child.waitFor(Duration.ofSeconds(10))).as(child.stderr()).isZero();
            assertThat(lines).as(child.stderr()).hasSize(1);
        }
        List<String> log = Files.readAllLines(gcLog);
        assertThat(log).as("the child collected while compressing").anyMatch(l -> l.contains("Pause Young"));
        assertThat(log).noneMatch(l -> l.contains("GCLocker"));
    }
}
