package dev.strata.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run the class archive is recorded from: every command of it succeeds, the S3 ones included, and an
 * S3 part that overruns its limit is cut short with its failures counted.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClassArchiveTrainingTest {
    @TempDir
    Path work;

    @Test
    void everyCommand_succeeds_locallyAndInS3() throws Exception {
        assertThat(ClassArchiveTraining.run(work, true)).isZero();
        assertThat(work.resolve("s3-restored")).isDirectory();
        assertThat(work.resolve("restored")).isDirectory();
    }

    @Test
    void withoutS3_onlyTheLocalCommandsRun() throws Exception {
        assertThat(ClassArchiveTraining.run(work, false)).isZero();
        assertThat(work.resolve("restored")).isDirectory();
        assertThat(work.resolve("s3-cache")).doesNotExist();
    }

    @Test
    void anS3PartPastItsLimit_isCutShort_andItsFailuresCounted() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "a");
        long start = System.nanoTime();
        assertThat(ClassArchiveTraining.runS3(work, data, Duration.ZERO)).isPositive();
        // Far below the client's timeouts (a 60 s socket timeout per request).
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(50));
    }
}
