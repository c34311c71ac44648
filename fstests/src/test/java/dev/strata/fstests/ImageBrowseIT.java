package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GPT disk image holding an ext4 and a FAT32 partition, made without root (sgdisk, mke2fs -d,
 * mkfs.vfat and mcopy), saved with `strata image create`: through the mount,
 * `images/<name>/<time>/part1/` shows the ext4 files with their contents, modes, owners, times,
 * symlinks, hard links and xattrs, and `part2/` the FAT files; another user reads them too.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImageBrowseIT {
    private static final long MIB = 1 << 20;
    private Path dir;
    private MountProcess mount;

    @AfterEach
    void cleanUp() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void thePartitionsOfADiskImageShowTheirFiles() throws Exception {
        for (String tool : List.of("sgdisk", "mke2fs", "mkfs.vfat", "mcopy", "setfattr", "mkfifo")) {
            Assumptions.assumeTrue(run(null, "sh", "-c", "command -v " + tool + " || test -x /sbin/" + tool + " || test -x /usr/sbin/" + tool) == 0,
                    tool + " is needed");
        }
        dir = Files.createTempDirectory("strata-image-browse-it");
        Path extFiles = extFixture(dir.resolve("ext-files"));
        Path fatFiles = fatFixture(dir.resolve("fat-files"));
        Path ext = dir.resolve("ext.img");
        Path fat = dir.resolve("fat.img");
        ok("mke2fs", "-q", "-F", "-t", "ext4", "-O", "inline_data,metadata_csum", "-d", extFiles.toString(), ext.toString(), "48M");
        ok("mkfs.vfat", "-F", "32", "-C", fat.toString(), String.valueOf(64 * 1024));
        try (Stream<Path> s = Files.list(fatFiles)) {
            for (Path p : s.sorted().toList()) {
                ok("mcopy", "-s", "-m", "-i", fat.toString(), p.toString(), "::/");
            }
        }
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(120 * MIB);
        }
        ok("sgdisk", "-n", "1:2048:+48M", "-n", "2:0:+64M", disk.toString());
        place(ext, disk, MIB);
        place(fat, disk, 49 * MIB);

        Strata strata = new Strata(dir);
        strata.run("init").ok();
        strata.run("image", "create", disk.toString(), "--name", "pc", "--quiet").ok();
        mount = MountProcess.start(strata, dir.resolve("mnt"), "--allow-other");
        Path snap;
        try (Stream<Path> times = Files.list(mount.mountpoint.resolve("images/pc"))) {
            snap = times.findFirst().orElseThrow();
        }
        List<String> names;
        try (Stream<Path> s = Files.list(snap)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names).containsExactly("disk.img", "part1", "part1.img", "part2", "part2.img");

        List<String> diffs = new ArrayList<>(TreeCompare.differences(extFiles, snap.resolve("part1")));
        // The root folder and lost+found are mke2fs's own.
        diffs.removeIf(d -> d.startsWith(": ") || d.startsWith("lost+found"));
        assertThat(diffs).isEmpty();
        assertThat(hashes(snap.resolve("part2"))).isEqualTo(hashes(fatFiles));
        assertThat(Files.isWritable(snap.resolve("part1/big.bin"))).isFalse();

        // Another user reads what the modes let everyone read.
        Assumptions.assumeTrue(run(null, "id", "-u", "nobody") == 0, "no user nobody");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p : List.of(snap.resolve("part1/big.bin"), snap.resolve("part2/Some Folder/inner.bin"))) {
            Path out = dir.resolve("as-nobody");
            int code = run(out, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sha256sum", p.toString());
            assertThat(code).as(Files.exists(out) ? Files.readString(out) : "").isZero();
            assertThat(Files.readString(out)).startsWith(TreeCompare.sha256(p));
        }
    }

    /** Files, a sparse one, a folder of 500 names, hard links, symlinks short and long, a fifo, xattrs, odd modes; whole-second times. */
    private static Path extFixture(Path d) throws Exception {
        Files.createDirectories(d.resolve("sub/deeper"));
        Files.createDirectories(d.resolve("many"));
        Random random = new Random(13);
        byte[] big = new byte[(3 << 20) + 17];
        random.nextBytes(big);
        Files.write(d.resolve("big.bin"), big);
        Files.writeString(d.resolve("small.txt"), "inline\n");
        Files.writeString(d.resolve("sub/deeper/notes.txt"), "inside the image\n".repeat(5000));
        try (RandomAccessFile f = new RandomAccessFile(d.resolve("sparse.bin").toFile(), "rw")) {
            for (int i = 0; i < 8; i++) {
                f.seek(i * 900_000L);
                f.write(big, i * 1000, 4000);
            }
        }
        for (int i = 0; i < 500; i++) {
            Files.writeString(d.resolve("many/file number " + i), Integer.toString(i));
        }
        Files.createLink(d.resolve("sub/link-to-big.bin"), d.resolve("big.bin"));
        Files.createSymbolicLink(d.resolve("short-link"), Path.of("small.txt"));
        Files.createSymbolicLink(d.resolve("sub/long-link"), Path.of("far/away/".repeat(12) + "target"));
        ok("mkfifo", d.resolve("fifo").toString());
        ok("setfattr", "-n", "user.color", "-v", "blue", d.resolve("small.txt").toString());
        ok("setfattr", "-n", "user.large", "-v", "0x" + "cd".repeat(700), d.resolve("big.bin").toString());
        ok("chmod", "0600", d.resolve("small.txt").toString());
        ok("chmod", "0750", d.resolve("sub").toString());
        // mke2fs -d keeps whole seconds only.
        ok("find", d.toString(), "-exec", "touch", "-h", "-d", "@1700000000", "{}", "+");
        return d;
    }

    private static Path fatFixture(Path d) throws IOException {
        Files.createDirectories(d.resolve("Some Folder"));
        byte[] b = new byte[700_000];
        new Random(17).nextBytes(b);
        Files.write(d.resolve("Some Folder/inner.bin"), b);
        Files.writeString(d.resolve("A long file name, with Ünïcødé.txt"), "long name\n");
        Files.writeString(d.resolve("SHORT.TXT"), "short name\n");
        return d;
    }

    /** Relative path → sha256 of every regular file; folders as "dir". */
    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : TreeCompare.sha256(p));
            }
        }
        return out;
    }

    private static void place(Path part, Path disk, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(offset);
            f.write(Files.readAllBytes(part));
        }
    }

    private static void ok(String... cmd) throws IOException, InterruptedException {
        assertThat(run(null, cmd)).as(String.join(" ", cmd)).isZero();
    }

    private static int run(Path out, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()));
        pb.environment().put("PATH", System.getenv("PATH") + ":/sbin:/usr/sbin");
        pb.environment().put("TZ", "UTC");
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
