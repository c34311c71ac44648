package dev.strata.image.view;

import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.image.DiskTools;
import dev.strata.image.browse.BrowsableFilesystems;
import dev.strata.image.browse.BrowsableFs;
import dev.strata.image.browse.BrowseFixture;
import dev.strata.image.browse.ByteSource;
import dev.strata.image.browse.FsChild;
import dev.strata.image.browse.FsNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads at any offset and length, across pieces and holes, give the file's bytes, holes written as zeros. */
class BrowsedFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsAtRandomOffsets_acrossPiecesAndHoles_andOfInlineFiles_giveTheFilesBytes() throws Exception {
        DiskTools.require("mke2fs", "setfattr", "mkfifo");
        Path source = BrowseFixture.build(dir.resolve("src"), 10);
        Path img = dir.resolve("ext.img");
        DiskTools.ok("mke2fs", "-q", "-F", "-t", "ext4", "-b", "1024", "-I", "256", "-O", "inline_data", "-d", source.toString(),
                img.toString(), "96M");
        byte[] image = Files.readAllBytes(img);
        ByteSource bytes = new ByteSource() {
            @Override
            public long size() {
                return image.length;
            }

            @Override
            public void readFully(long position, byte[] dst, int offset, int length) {
                System.arraycopy(image, (int) position, dst, offset, length);
            }
        };
        BrowsableFs fs = BrowsableFilesystems.open(bytes);
        Random random = new Random(5);
        for (String name : new String[]{"sparse.bin", "big.bin", "small.txt", "far.bin"}) {
            FsNode node = child(fs, name);
            byte[] want = Files.readAllBytes(source.resolve(name));
            BrowsedFileReader reader = new BrowsedFileReader(fs, partition(image), node);
            for (int i = 0; i < 200; i++) {
                long offset = random.nextInt(want.length + 10);
                int length = 1 + random.nextInt(300_000);
                byte[] got = new byte[length];
                // Not zeros: a hole the reader leaves unwritten shows.
                Arrays.fill(got, (byte) 0x55);
                int n = reader.read(offset, length, new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int count) {
                        System.arraycopy(src, srcOffset, got, at, count);
                    }

                    @Override
                    public void zero(int at, int count) {
                        Arrays.fill(got, at, at + count, (byte) 0);
                    }
                });
                int expected = (int) Math.max(0, Math.min(length, want.length - offset));
                assertThat(n).as(name + " at " + offset).isEqualTo(expected);
                assertThat(Arrays.copyOf(got, n)).as(name + " at " + offset)
                        .isEqualTo(Arrays.copyOfRange(want, (int) Math.min(offset, want.length), (int) Math.min(offset, want.length) + n));
            }
        }
    }

    /** The image's bytes as the partition's data reader gives them: at most 64 KiB per read, as chunks end. */
    private static OpenFile partition(byte[] image) {
        return new OpenFile() {
            @Override
            public int read(long offset, int length, ReadSink sink) {
                int n = (int) Math.max(0, Math.min(Math.min(length, 64 << 10), image.length - offset));
                if (n > 0) {
                    sink.put(0, image, (int) offset, n);
                }
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    private static FsNode child(BrowsableFs fs, String name) throws Exception {
        for (FsChild c : fs.list(fs.root())) {
            if (c.name().equals(name)) {
                return c.node();
            }
        }
        throw new AssertionError(name + " not found");
    }
}
