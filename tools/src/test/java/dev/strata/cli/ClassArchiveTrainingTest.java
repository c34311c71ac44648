package dev.strata.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The run the class archive is recorded from: every command of it succeeds, the S3 ones included. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClassArchiveTrainingTest {
    @TempDir
    Path work;

    @Test
    void everyCommand_succeeds_locallyAndInS3() throws Exception {
        assertThat(ClassArchiveTraining.run(work)).isZero();
        assertThat(work.resolve("s3-restored")).isDirectory();
        assertThat(work.resolve("restored")).isDirectory();
    }
}
