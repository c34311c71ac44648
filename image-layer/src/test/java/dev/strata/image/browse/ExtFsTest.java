package dev.strata.image.browse;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Xattr;
import dev.strata.image.DiskTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExtFsTest {
    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void fixture() throws Exception {
        DiskTools.require("mke2fs", "e2fsck", "debugfs", "setfattr", "mkfifo");
        source = BrowseFixture.build(tmp.resolve("src"), 3000);
    }

    /** ext4 with extents, 64bit, metadata_csum and inline data; folders indexed (htree) by e2fsck -D. */
    @Test
    void ext4With4KBlocksMatchesSourceAndDebugfs() throws Exception {
        Path img = image("ext4-4k.img", "-t", "ext4", "-b", "4096", "-I", "256", "-O", "inline_data,metadata_csum,64bit");
        assertThat(debugfs(img, "htree /many")).contains("Indirect levels");
        checkAll(img, "ext4");
    }

    /** 1 KiB blocks: 3000 long names make a two-level htree; the sparse file a deeper extent tree. */
    @Test
    void ext4With1KBlocksAndDeepHtreeMatchesSource() throws Exception {
        Path img = image("ext4-1k.img", "-t", "ext4", "-b", "1024", "-I", "256", "-O", "inline_data,metadata_csum,64bit");
        assertThat(debugfs(img, "htree /many")).contains("Indirect levels: 1");
        checkAll(img, "ext4");
    }

    /** ext2: block maps with single, double and (for the sparse file's far end) triple indirect blocks. */
    @Test
    void ext2BlockMapsMatchSource() throws Exception {
        Path img = image("ext2.img", "-t", "ext2", "-b", "1024", "-I", "128");
        checkAll(img, "ext2");
    }

    @Test
    void ext3MatchesSource() throws Exception {
        Path img = image("ext3.img", "-t", "ext3", "-b", "4096");
        checkAll(img, "ext3");
    }

    private static Path image(String name, String... options) throws Exception {
        Path img = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("mke2fs", "-q", "-F"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-d", source.toString(), img.toString(), "64M"));
        DiskTools.ok(cmd.toArray(String[]::new));
        DiskTools.Run fsck = DiskTools.run(Map.of(), "e2fsck", "-fyD", img.toString());
        assertThat(fsck.code()).as(fsck.out()).isLessThanOrEqualTo(1);
        return img;
    }

    private static String debugfs(Path img, String request) throws Exception {
        return DiskTools.ok("debugfs", "-R", request, img.toString());
    }

    private static void checkAll(Path img, String kind) throws Exception {
        try (FileSource src = FileSource.of(img)) {
            BrowsableFs fs = BrowsableFilesystems.open(src);
            assertThat(fs.kind()).isEqualTo(kind);
            Map<String, FsNode> tree = FsTrees.walk(fs);
            compareWithSource(src, fs, tree);
            Path out = tmp.resolve(img.getFileName() + ".rdump");
            Files.createDirectories(out);
            debugfs(img, "rdump / " + out);
            compareWithRdump(fs, tree, out);
        }
    }

    private static void compareWithSource(ByteSource src, BrowsableFs fs, Map<String, FsNode> tree) throws IOException {
        Map<String, Path> expected = new TreeMap<>();
        try (Stream<Path> s = Files.walk(source)) {
            s.forEach(p -> expected.put(source.relativize(p).toString(), p));
        }
        Map<String, FsNode> got = new TreeMap<>(tree);
        got.keySet().removeIf(k -> k.equals("lost+found"));
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        Map<Object, Long> idsBySourceInode = new HashMap<>();
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            Path p = e.getValue();
            FsNode n = got.get(e.getKey());
            String what = e.getKey();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,nlink,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            assertThat(n.mode()).as(what).isEqualTo((Integer) a.get("mode") & 07777);
            assertThat(n.uid()).as(what).isEqualTo(((Integer) a.get("uid")).longValue());
            assertThat(n.gid()).as(what).isEqualTo(((Integer) a.get("gid")).longValue());
            // The root folder is made by mke2fs, not copied from the source.
            assertThat(what.isEmpty() ? a.get("lastModifiedTime") : n.mtime().seconds()).as(what).isEqualTo(what.isEmpty() ? a.get("lastModifiedTime") : ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
            Long id = idsBySourceInode.putIfAbsent(a.get("ino"), n.id());
            assertThat(id == null || id == n.id()).as(what + " is a hard link of the same inode").isTrue();
            if (Files.isSymbolicLink(p)) {
                assertThat(n.type()).as(what).isEqualTo(NodeType.SYMLINK);
                assertThat(new String(fs.readLink(n), StandardCharsets.UTF_8)).as(what).isEqualTo(Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p)) {
                assertThat(n.type()).as(what).isEqualTo(NodeType.DIRECTORY);
            } else if (Files.isRegularFile(p)) {
                assertThat(n.type()).as(what).isEqualTo(NodeType.FILE);
                assertThat(n.links()).as(what).isEqualTo(((Integer) a.get("nlink")).longValue());
                assertThat(n.size()).as(what).isEqualTo((Long) a.get("size"));
                assertThat(DiskTools.sha256(FsTrees.content(fs, n, n.size()))).as(what).isEqualTo(DiskTools.sha256(p));
                FsTrees.checkRuns(src, fs, n, what);
            } else {
                assertThat(n.type()).as(what).isEqualTo(NodeType.FIFO);
            }
            // Reading a fifo's attributes through Java opens it, which blocks.
            if (!Files.isSymbolicLink(p) && n.type() != NodeType.FIFO) {
                assertThat(userXattrs(fs.xattrs(n))).as(what).isEqualTo(userXattrs(p));
            }
        }
        assertThat(userXattrs(fs.xattrs(got.get("big.bin")))).containsKeys("user.large", "user.second");
    }

    private static void compareWithRdump(BrowsableFs fs, Map<String, FsNode> tree, Path out) throws IOException {
        int files = 0;
        for (Map.Entry<String, FsNode> e : tree.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().startsWith("lost+found")) {
                continue;
            }
            Path p = out.resolve(e.getKey());
            FsNode n = e.getValue();
            if (n.type() == NodeType.FILE) {
                byte[] dumped = Files.readAllBytes(p);
                if (n.size() < 60 && dumped.length == 60) {
                    // debugfs 1.47 dumps a small inline file as all 60 bytes of i_block.
                    dumped = java.util.Arrays.copyOf(dumped, (int) n.size());
                }
                assertThat(DiskTools.sha256(FsTrees.content(fs, n, n.size()))).as(e.getKey()).isEqualTo(DiskTools.sha256(dumped));
                files++;
            } else if (n.type() == NodeType.SYMLINK) {
                assertThat(new String(fs.readLink(n), StandardCharsets.UTF_8)).isEqualTo(Files.readSymbolicLink(p).toString());
            } else if (n.type() == NodeType.DIRECTORY) {
                assertThat(Files.isDirectory(p)).as(e.getKey()).isTrue();
            }
        }
        assertThat(files).isGreaterThan(3000);
    }

    private static Map<String, String> userXattrs(List<Xattr> xs) {
        Map<String, String> m = new TreeMap<>();
        for (Xattr x : xs) {
            if (x.name().startsWith("user.")) {
                m.put(x.name(), DiskTools.sha256(x.value()));
            }
        }
        return m;
    }

    private static Map<String, String> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        Map<String, String> m = new TreeMap<>();
        for (String name : v.list()) {
            ByteBuffer b = ByteBuffer.allocate(v.size(name));
            v.read(name, b);
            m.put("user." + name, DiskTools.sha256(b.array()));
        }
        return m;
    }
}
