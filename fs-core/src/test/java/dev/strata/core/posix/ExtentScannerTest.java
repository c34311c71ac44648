package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that data extents of sparse, dense, empty and special files are found exactly. */
class ExtentScannerTest {
    private static final long GIB = 1L << 30;

    private final Posix posix = Posix.get();

    @TempDir
    Path dir;

    @Test
    void dataExtents_sparseFile_findsExactlyTheWrittenRegions() throws IOException {
        Path file = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(2 * GIB);
            raf.write(new byte[5000]); // at 0
            raf.seek(GIB + 100);
            raf.write(new byte[10_000]);
        }
        assumeSparseFilesAndSeekData(file);
        long block = posix.stat(file).blockSize();

        List<Extent> extents = posix.dataExtents(file);

        assertThat(extents).containsExactly(
                new Extent(0, roundUp(5000, block)),
                new Extent(roundDown(GIB + 100, block), roundUp(GIB + 10_100, block) - roundDown(GIB + 100, block)));
    }

    @Test
    void dataExtents_dataAtTheEnd_endsAtTheFileSize() throws IOException {
        Path file = dir.resolve("tail");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(GIB + 1);
            raf.write(new byte[] {1, 2, 3}); // the file ends mid-block
        }
        assumeSparseFilesAndSeekData(file);
        long block = posix.stat(file).blockSize();

        List<Extent> extents = posix.dataExtents(file);

        assertThat(extents).containsExactly(new Extent(roundDown(GIB + 1, block), GIB + 4 - roundDown(GIB + 1, block)));
    }

    @Test
    void dataExtents_denseFile_isOneExtent() throws IOException {
        Path file = Files.write(dir.resolve("dense"), new byte[123_457]);

        assertThat(posix.dataExtents(file)).containsExactly(new Extent(0, 123_457));
    }

    @Test
    void dataExtents_emptyFile_isNone() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));

        assertThat(posix.dataExtents(file)).isEmpty();
    }

    @Test
    void dataExtents_allHole_isNone() throws IOException {
        Path file = dir.resolve("hole");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(GIB);
        }
        assumeSparseFilesAndSeekData(file);

        assertThat(posix.dataExtents(file)).isEmpty();
    }

    @Test
    void dataExtents_fifo_isRefusedWithoutBlocking() throws IOException {
        Path fifo = dir.resolve("fifo");
        posix.mkfifo(fifo, 0600);

        assertThatThrownBy(() -> posix.dataExtents(fifo))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void dataExtents_missingFile_throwsNoSuchFile() {
        assertThatThrownBy(() -> posix.dataExtents(dir.resolve("missing")))
                .isInstanceOf(NoSuchFileException.class);
    }

    /** tmpfs and ext4 (where the tests normally run) both keep holes and answer SEEK_DATA. */
    private void assumeSparseFilesAndSeekData(Path file) throws IOException {
        FileStatus status = posix.stat(file);
        assumeThat(status.blocks() * 512).as("the filesystem of %s keeps holes", file).isLessThan(status.size());
    }

    private static long roundDown(long value, long block) {
        return value / block * block;
    }

    private static long roundUp(long value, long block) {
        return (value + block - 1) / block * block;
    }
}
