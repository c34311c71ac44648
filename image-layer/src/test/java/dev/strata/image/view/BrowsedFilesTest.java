package dev.strata.image.view;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.image.DiskTools;
import dev.strata.image.ImageCounters;
import dev.strata.image.ImageCreator;
import dev.strata.image.ImageRequest;
import dev.strata.image.browse.BrowseFixture;
import dev.strata.image.browse.FatFsTest;
import dev.strata.image.source.FileImageSource;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * images/<name>/<time>/partN/ and disk/: the files of the imaged filesystems read through the view
 * interface (without a kernel), equal to the folders the filesystems were made from.
 */
class BrowsedFilesTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    private Repository repository;
    private ViewContext context;

    @org.junit.jupiter.api.AfterEach
    void close() throws Exception {
        if (context != null) {
            context.close();
        }
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    void partitionsOfAGptDiskShowTheirFilesAndAnUnreadableOneOnlyItsImage() throws Exception {
        DiskTools.require("sgdisk", "mke2fs", "mkfs.vfat", "mcopy", "setfattr", "mkfifo");
        Path extSource = BrowseFixture.build(dir.resolve("ext-src"), 200);
        Path fatSource = FatFsTest.fatFixture(dir.resolve("fat-src"));
        Path ext = dir.resolve("ext.img");
        DiskTools.ok("mke2fs", "-q", "-F", "-t", "ext4", "-O", "inline_data,metadata_csum", "-d", extSource.toString(), ext.toString(), "48M");
        Path fat = FatFsTest.image(dir.resolve("fat.img"), fatSource, 16, 32);
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(100 * MIB);
        }
        DiskTools.ok("sgdisk", "-n", "1:2048:+48M", "-n", "2:0:+32M", "-n", "3:0:+8M", disk.toString());
        DiskTools.place(ext, disk, MIB);
        DiskTools.place(fat, disk, 49 * MIB);
        // Partition 3: an ext superblock whose geometry does not fit the partition.
        byte[] broken = Arrays.copyOf(Files.readAllBytes(ext), (int) (2 * MIB));
        DiskTools.place(writeTemp(broken), disk, 81 * MIB);

        List<String> problems = new CopyOnWriteArrayList<>();
        ViewNode snap = imageOf(disk, problems);
        assertThat(names(snap.list())).containsExactly("disk.img", "part1.img", "part2.img", "part3.img", "part1", "part2");
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("part3: not browsable").contains("part3.img holds its bytes"));
        compare(snap.child("part1").orElseThrow(), extSource, true);
        compare(snap.child("part2").orElseThrow(), fatSource, false);
        ViewNode big = snap.child("part1").orElseThrow().child("big.bin").orElseThrow();
        assertThat(big.xattrs()).extracting(Xattr::name).contains("user.large", "user.second");
        ViewNode a = snap.child("part1").orElseThrow().child("sub").orElseThrow().child("mid.bin").orElseThrow();
        ViewNode b = snap.child("part1").orElseThrow().child("sub").orElseThrow().child("hardlink.bin").orElseThrow();
        assertThat(a.attributes().inode()).isEqualTo(b.attributes().inode());
        assertThat(a.attributes().links()).isEqualTo(2);
        assertThat(a.attributes().mode()).isEqualTo(04755);
        // A folder is listed once and each entry's attributes made once: find and tar list again.
        ViewNode sub = snap.child("part1").orElseThrow().child("sub").orElseThrow();
        assertThat(sub.list()).isSameAs(sub.list());
        assertThat(a.attributes()).isSameAs(a.attributes());
    }

    @Test
    void anUnpartitionedImageShowsDisk() throws Exception {
        DiskTools.require("mkfs.vfat", "mcopy");
        Path fatSource = FatFsTest.fatFixture(dir.resolve("fat-src"));
        Path fat = FatFsTest.image(dir.resolve("fat.img"), fatSource, 12, 4);
        ViewNode snap = imageOf(fat, new ArrayList<>());
        assertThat(names(snap.list())).containsExactly("disk.img", "disk");
        compare(snap.child("disk").orElseThrow(), fatSource, false);
    }

    private Path writeTemp(byte[] b) throws Exception {
        Path p = dir.resolve("broken.img");
        Files.write(p, b);
        return p;
    }

    private ViewNode imageOf(Path disk, List<String> problems) throws Exception {
        TestRepositories.Fixture fixture = TestRepositories.local(dir.resolve("r")).small().init();
        Repository r = fixture.open();
        repository = r;
        try (FileImageSource src = FileImageSource.open(disk)) {
            new ImageCreator(r).create(src, ImageRequest.of("pc").withTime(Instant.parse("2026-11-26T10:20:30Z")),
                    new ImageCounters(), w -> { });
        }
        SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(r), SnapshotKind.IMAGE, x -> { });
        ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, 1000, 1000, Timestamp.EPOCH, ViewContext.GROUP_ABOVE, problems::add);
        context = ctx;
        ImagesDir images = new ImagesDir(ctx, catalog);
        return images.child("pc").orElseThrow().child("2026-11-26T10-20-30").orElseThrow();
    }

    /** Every entry of {@code source} is in {@code node} with the same type and content, and nothing else (lost+found aside). */
    private static void compare(ViewNode node, Path source, boolean links) throws Exception {
        List<String> seen = new ArrayList<>();
        walk(node, "", seen, source, links);
        List<String> expected = new ArrayList<>();
        try (Stream<Path> s = Files.walk(source)) {
            s.filter(p -> !p.equals(source)).forEach(p -> expected.add(source.relativize(p).toString()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static void walk(ViewNode dir, String path, List<String> seen, Path source, boolean links) throws Exception {
        for (DirEntry e : dir.list()) {
            String p = path.isEmpty() ? e.name() : path + "/" + e.name();
            if (p.equals("lost+found")) {
                continue;
            }
            seen.add(p);
            ViewNode n = dir.child(e.name()).orElseThrow();
            Path s = source.resolve(p);
            Map<String, Object> a = Files.readAttributes(s, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
            if (e.attributes().type() == NodeType.DIRECTORY) {
                walk(n, p, seen, source, links);
            } else if (e.attributes().type() == NodeType.SYMLINK) {
                assertThat(new String(n.readLink(), StandardCharsets.UTF_8)).isEqualTo(Files.readSymbolicLink(s).toString());
            } else if (e.attributes().type() == NodeType.FILE) {
                assertThat(e.attributes().size()).as(p).isEqualTo((Long) a.get("size"));
                assertThat(DiskTools.sha256(read(n, e.attributes().size()))).as(p).isEqualTo(DiskTools.sha256(s));
                if (links) {
                    assertThat(e.attributes().mode()).as(p).isEqualTo((Integer) a.get("mode") & 07777);
                }
            }
        }
    }

    private static byte[] read(ViewNode file, long size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OpenFile f = file.open()) {
            for (long off = 0; off < size; off += 128 << 10) {
                byte[] chunk = new byte[(int) Math.min(128 << 10, size - off)];
                int n = f.read(off, chunk.length, new ReadSink() {
                    @Override
                    public void put(int at, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, chunk, at, length);
                    }

                    @Override
                    public void zero(int at, int length) {
                        Arrays.fill(chunk, at, at + length, (byte) 0);
                    }
                });
                assertThat(n).isEqualTo(chunk.length);
                out.write(chunk);
            }
        }
        return out.toByteArray();
    }

    private static List<String> names(List<DirEntry> entries) {
        return entries.stream().map(DirEntry::name).toList();
    }
}
