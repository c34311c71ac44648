package dev.strata.image.browse;

import dev.strata.image.DiskTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crafted damage in ext images: each answers a clear error for the damaged part only, quickly. */
@Timeout(60)
class ExtDamageTest {
    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void fixture() throws Exception {
        DiskTools.require("mke2fs", "debugfs", "setfattr", "mkfifo");
        source = BrowseFixture.build(tmp.resolve("src"), 50);
    }

    private static byte[] image(String name, String... options) throws Exception {
        Path img = tmp.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("mke2fs", "-q", "-F"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-d", source.toString(), img.toString(), "96M"));
        DiskTools.ok(cmd.toArray(String[]::new));
        return Files.readAllBytes(img);
    }

    /** Byte position of an inode in the image, from debugfs. */
    private static long inodeAt(String name, String path) throws Exception {
        String out = DiskTools.ok("debugfs", "-R", "imap " + path, tmp.resolve(name).toString());
        Matcher m = Pattern.compile("located at block (\\d+), offset 0x([0-9a-f]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String bs = DiskTools.ok("dumpe2fs", "-h", tmp.resolve(name).toString());
        Matcher b = Pattern.compile("Block size:\\s+(\\d+)").matcher(bs);
        assertThat(b.find()).isTrue();
        return Long.parseLong(m.group(1)) * Long.parseLong(b.group(1)) + Long.parseLong(m.group(2), 16);
    }

    private static FsChild child(BrowsableFs fs, String name) throws Exception {
        return fs.list(fs.root()).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aBadInodeChecksumHidesThatFileOnly() throws Exception {
        byte[] img = image("csum.img", "-t", "ext4", "-O", "metadata_csum");
        img[(int) inodeAt("csum.img", "/small.txt") + 0x10] ^= 1;
        BrowsableFs fs = BrowsableFilesystems.open(FileSource.of(img));
        FsChild c = child(fs, "small.txt");
        assertThat(c.readable()).isFalse();
        assertThat(c.damage()).contains("checksum mismatch");
        FsNode big = child(fs, "big.bin").node();
        assertThat(DiskTools.sha256(FsTrees.content(fs, big, big.size()))).isEqualTo(DiskTools.sha256(source.resolve("big.bin")));
    }

    @Test
    void aBadSuperblockChecksumIsAClearError() throws Exception {
        byte[] img = image("sb.img", "-t", "ext4", "-O", "metadata_csum");
        img[1024 + 0x2C] ^= 1;
        assertThatThrownBy(() -> BrowsableFilesystems.open(FileSource.of(img)))
                .isInstanceOf(FilesystemDamageException.class).hasMessageContaining("superblock checksum mismatch");
    }

    @Test
    void aLoopingExtentTreeIsAnErrorForThatFile() throws Exception {
        byte[] img = image("loop.img", "-t", "ext4", "-b", "4096", "-O", "^metadata_csum");
        int inode = (int) inodeAt("loop.img", "/sparse.bin");
        int root = inode + 0x28;
        assertThat(Le.u16(img, root + 6)).as("the fixture's sparse file has an extent index").isEqualTo(1);
        long leaf = Le.u32(img, root + 12 + 4);
        int at = (int) (leaf * 4096);
        // The leaf becomes an index at depth 1 pointing at itself.
        img[at + 6] = 1;
        put32(img, at + 12, 0);
        put32(img, at + 16, (int) leaf);
        img[at + 20] = 0;
        img[at + 21] = 0;
        BrowsableFs fs = BrowsableFilesystems.open(FileSource.of(img));
        FsNode sparse = child(fs, "sparse.bin").node();
        assertThatThrownBy(() -> FsTrees.content(fs, sparse, sparse.size()))
                .isInstanceOf(FilesystemDamageException.class).hasMessageContaining("depth");
        assertThat(new String(FsTrees.content(fs, child(fs, "small.txt").node(), 100), StandardCharsets.US_ASCII)).startsWith("small");
    }

    @Test
    void anEntryPointingOutOfRangeIsAnErrorForThatName() throws Exception {
        byte[] img = image("entry.img", "-t", "ext4", "-b", "4096", "-O", "^metadata_csum");
        byte[] name = "small.txt".getBytes(StandardCharsets.US_ASCII);
        int found = indexOf(img, name, 0);
        while (img[found - 2] != name.length) {
            found = indexOf(img, name, found + 1);
        }
        put32(img, found - 8, 0x7FFFFFF0);
        BrowsableFs fs = BrowsableFilesystems.open(FileSource.of(img));
        FsChild c = child(fs, "small.txt");
        assertThat(c.readable()).isFalse();
        assertThat(c.damage()).contains("out of range");
        assertThat(child(fs, "big.bin").readable()).isTrue();
    }

    @Test
    void aHugeSizeReadsAsHolesOrIsRefused() throws Exception {
        byte[] ext4 = image("huge4.img", "-t", "ext4", "-b", "4096", "-O", "^metadata_csum");
        put32(ext4, (int) inodeAt("huge4.img", "/big.bin") + 0x6C, 256);
        BrowsableFs fs4 = BrowsableFilesystems.open(FileSource.of(ext4));
        FsNode big = child(fs4, "big.bin").node();
        assertThat(big.size()).isGreaterThan(1L << 40);
        byte[] tail = new byte[1 << 20];
        assertThat(fs4.read(big, big.size() - tail.length, tail, 0, tail.length)).isEqualTo(tail.length);
        assertThat(tail).containsOnly(0);

        byte[] ext2 = image("huge2.img", "-t", "ext2", "-b", "1024");
        put32(ext2, (int) inodeAt("huge2.img", "/big.bin") + 0x6C, 256);
        BrowsableFs fs2 = BrowsableFilesystems.open(FileSource.of(ext2));
        FsNode big2 = child(fs2, "big.bin").node();
        assertThatThrownBy(() -> fs2.read(big2, 0, tail, 0, 10))
                .isInstanceOf(FilesystemDamageException.class).hasMessageContaining("larger than its layout allows");
    }

    @Test
    void aFolderWithMoreNamesThanTheLimitIsAnErrorForThatFolder() throws Exception {
        byte[] img = image("limit.img", "-t", "ext4", "-b", "4096");
        ExtFs fs = ((ExtFs) BrowsableFilesystems.open(FileSource.of(img))).withEntryLimit(40);
        FsNode many = child(fs, "many").node();
        assertThatThrownBy(() -> fs.list(many)).isInstanceOf(FilesystemDamageException.class).hasMessageContaining("more than 40 names");
        assertThat(fs.list(fs.root())).isNotEmpty();
    }

    private static void put32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i <= b.length - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
