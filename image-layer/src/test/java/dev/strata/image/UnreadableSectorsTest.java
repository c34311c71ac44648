package dev.strata.image;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.image.source.FileImageSource;
import dev.strata.image.source.ImageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Sectors that fail to read are retried, then recorded and saved as zeros; imaging carries on. */
class UnreadableSectorsTest {
    @TempDir
    Path dir;

    /** A source whose bytes [badStart, badEnd) always fail to read. */
    private static class FailingSource implements ImageSource {
        private final ImageSource inner;
        private final long badStart;
        private final long badEnd;
        int attempts;

        FailingSource(ImageSource inner, long badStart, long badEnd) {
            this.inner = inner;
            this.badStart = badStart;
            this.badEnd = badEnd;
        }

        @Override public String describe() { return "failing " + inner.describe(); }
        @Override public long size() { return inner.size(); }
        @Override public int sectorSize() { return inner.sectorSize(); }
        @Override public boolean isBlockDevice() { return false; }
        @Override public String version() throws IOException { return inner.version(); }
        @Override public void close() throws IOException { inner.close(); }

        @Override
        public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
            if (position < badEnd && position + length > badStart) {
                attempts++;
                throw new IOException("Input/output error");
            }
            inner.readFully(position, dst, offset, length);
        }
    }

    @Test
    void badSectors_areRecordedAndTheRestIsSaved() throws Exception {
        byte[] data = RandomData.bytes(7, 4 << 20);
        Path img = dir.resolve("data.img");
        Files.write(img, data);
        ImageFixture f = new ImageFixture(dir.resolve("r"));
        ImageResult result;
        try (Repository r = f.repo.open(); FailingSource src = new FailingSource(FileImageSource.open(img), 1_000_448, 1_001_472)) {
            result = f.create(r, src, ImageRequest.of("bad"));
            assertThat(src.attempts).isGreaterThan(3);
        }

        assertThat(result.description().unreadable()).containsExactly(new ByteRange(1_000_448, 1024));
        assertThat(result.incomplete()).isTrue();
        assertThat(f.warnings).anyMatch(w -> w.contains("could not be read"));
        Path out = dir.resolve("out.img");
        f.restore(result.snapshot(), 0, out);
        byte[] expected = data.clone();
        Arrays.fill(expected, 1_000_448, 1_001_472, (byte) 0);
        assertThat(Files.readAllBytes(out)).isEqualTo(expected);
    }

    @Test
    void aSourceThatChangesWhileRead_getsAWarning() throws Exception {
        Path img = dir.resolve("data.img");
        Files.write(img, RandomData.bytes(8, 1 << 20));
        ImageFixture f = new ImageFixture(dir.resolve("r"));
        ImageResult result;
        try (Repository r = f.repo.open(); ImageSource inner = FileImageSource.open(img)) {
            ImageSource touching = new FailingSource(inner, -1, -1) {
                @Override
                public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
                    super.readFully(position, dst, offset, length);
                    Files.setLastModifiedTime(img, java.nio.file.attribute.FileTime.fromMillis(position + 1_000_000));
                }
            };
            result = f.create(r, touching, ImageRequest.of("moving"));
        }
        assertThat(result.description().changedWhileRead()).isTrue();
        assertThat(f.warnings).anyMatch(w -> w.contains("changed while it was read"));
    }
}
