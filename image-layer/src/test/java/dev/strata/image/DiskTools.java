package dev.strata.image;

import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds real disk images in files with the system's tools (e2fsprogs, dosfstools, mtools, gdisk,
 * fdisk), no root and no loop devices; tests that need a missing tool are skipped. Stateless.
 */
public final class DiskTools {
    private DiskTools() {
    }

    public record Run(int code, String out) {
    }

    public static void require(String... tools) {
        for (String t : tools) {
            Assumptions.assumeTrue(find(t) != null, t + " is not installed");
        }
    }

    private static Path find(String tool) {
        for (String dir : (System.getenv("PATH") + ":/sbin:/usr/sbin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    public static Run run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        Path exe = find(c.get(0));
        if (exe != null) {
            c.set(0, exe.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        return new Run(p.exitValue(), out);
    }

    public static String ok(String... cmd) throws IOException, InterruptedException {
        Run r = run(Map.of("E2FSPROGS_FAKE_TIME", "1700000000"), cmd);
        if (r.code() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.out());
        }
        return r.out();
    }

    /** A folder of files: random (incompressible, dedup-worthy) large ones, text ones, a subfolder. */
    public static Path fixture(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.write(dir.resolve("big1.bin"), RandomData.bytes(1, 2 << 20));
        Files.write(dir.resolve("big2.bin"), RandomData.bytes(2, 3 << 20));
        Files.write(dir.resolve("sub/big3.bin"), RandomData.bytes(3, (1 << 20) + 12345));
        Files.write(dir.resolve("readme.txt"), RandomData.text(4, 5000));
        Files.write(dir.resolve("sub/notes.txt"), RandomData.text(5, 70_000));
        Files.write(dir.resolve("sub/deeper/tiny"), "hi\n".getBytes(StandardCharsets.US_ASCII));
        return dir;
    }

    /** Relative paths of the fixture's files. */
    public static List<String> fixtureFiles() {
        return List.of("big1.bin", "big2.bin", "sub/big3.bin", "readme.txt", "sub/notes.txt", "sub/deeper/tiny");
    }

    public static Path ext4(Path img, Path from, int mib) throws IOException, InterruptedException {
        require("mke2fs");
        ok("mke2fs", "-q", "-F", "-t", "ext4", "-U", "0b7c1e6a-4d3e-4c53-9a53-4f4f2a1d7c10",
                "-E", "hash_seed=0b7c1e6a-4d3e-4c53-9a53-4f4f2a1d7c10", "-d", from.toString(), img.toString(), mib + "M");
        return img;
    }

    public static Path fat(Path img, Path from, int mib) throws IOException, InterruptedException {
        require("mkfs.vfat", "mcopy");
        Files.deleteIfExists(img);
        ok("mkfs.vfat", "-i", "12345678", "-C", img.toString(), String.valueOf(mib * 1024));
        try (var files = Files.list(from)) {
            for (Path p : files.sorted().toList()) {
                ok("mcopy", "-s", "-i", img.toString(), p.toString(), "::/");
            }
        }
        return img;
    }

    /** Copies {@code part} into {@code disk} at byte {@code offset}. */
    public static void place(Path part, Path disk, long offset) throws IOException {
        byte[] b = Files.readAllBytes(part);
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(offset);
            f.write(b);
        }
    }

    public static byte[] slice(Path file, long offset, long length) throws IOException {
        byte[] b = new byte[(int) length];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(offset);
            f.readFully(b);
        }
        return b;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes the file takes on disk (st_blocks * 512). */
    public static long allocated(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:size")).longValue() == 0 ? 0
                : dev.strata.core.posix.Posix.get().stat(file).blocks() * 512;
    }
}
