package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore --verify} of a 1 TiB sparse file that stores a few KiB: verifying its hole reads
 * only what the filesystem stores, so it takes a moment, not the time to read a terabyte of zeros.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SparseVerifyTest {
    @TempDir
    Path tmp;

    @Test
    void verifyOfAHugeSparseFile_readsOnlyItsData() throws Exception {
        CliRunner cli = E2e.smallRepository(tmp);
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path sparse = src.resolve("disk.img");
        byte[] head = RandomData.bytes(1, 4096);
        byte[] tail = RandomData.bytes(2, 4096);
        long size = 1L << 40;
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.write(head);
            f.seek(size - tail.length);
            f.write(tail);
        }
        ok(cli, "backup", src.toString());

        Path out = tmp.resolve("out");
        ok(cli, "restore", "latest", "--target", out.toString(), "--verify");

        Path restored = E2e.restoredAt(out, sparse);
        assertThat(Files.size(restored)).isEqualTo(size);
        try (RandomAccessFile f = new RandomAccessFile(restored.toFile(), "r")) {
            byte[] b = new byte[4096];
            f.readFully(b);
            assertThat(Arrays.equals(b, head)).isTrue();
            f.seek(size - tail.length);
            f.readFully(b);
            assertThat(Arrays.equals(b, tail)).isTrue();
        }
    }
}
