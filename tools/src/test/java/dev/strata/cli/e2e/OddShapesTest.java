package dev.strata.cli.e2e;

import dev.strata.cli.CliRunner;
import dev.strata.core.posix.DirectoryHandle;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.posix.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Odd names and shapes are backed up, listed and restored exactly: control characters and newlines
 * in names, names of 255 bytes (multi-byte UTF-8 too), paths of about 4,000 bytes, and 100,000
 * files in one folder.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OddShapesTest {
    @TempDir
    Path tmp;

    @Test
    void namesWithNewlinesAndControlCharacters_roundTrip_andListOneLineEach() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String[] names = {"a\nb", "tab\there", "cr\r", "bell\u0007", "del\u007f", "back\\slash", "esc\u001b[31mred",
            "line\u2028sep", " leading space", "trailing space ", "-dash", "*star?", "\n"};
        for (String n : names) {
            Files.writeString(src.resolve(n), "content of " + n);
        }
        Files.createDirectories(src.resolve("dir\nwith newline")).resolve("x");
        Files.writeString(src.resolve("dir\nwith newline").resolve("inner\n"), "inner");
        TreeComparison.Manifest source = TreeComparison.scan(src);
        CliRunner cli = E2e.smallRepository(tmp);
        CliRunner.Result backup = ok(cli, "backup", src.toString());
        assertThat(backup.err()).isEmpty();

        List<String> lines = ok(cli, "ls", "latest", src.toString()).out().lines().toList();
        assertThat(lines).hasSize(names.length + 2);
        assertThat(lines).contains(src + "/a\\nb", src + "/tab\\there", src + "/cr\\r", src + "/bell\\x07",
                src + "/del\\x7f", src + "/back\\\\slash", src + "/esc\\x1b[31mred", src + "/line\\u2028sep", src + "/\\n",
                src + "/dir\\nwith newline/", src + "/dir\\nwith newline/inner\\n");

        Path target = tmp.resolve("restored");
        assertThat(ok(cli, "restore", "latest", "--target", target.toString()).err()).isEmpty();
        assertThat(TreeComparison.compare(source, TreeComparison.scan(E2e.restoredAt(target, src)))).isEmpty();
    }

    @Test
    void namesOf255Bytes_asciiAndMultiByte_roundTrip() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String ascii = "a".repeat(255);
        String cjk = "日".repeat(85);               // 3 bytes each
        String mixed = "é".repeat(127) + "x";       // 2 bytes each, plus one
        String emoji = "\uD83D\uDE00".repeat(63) + "abc"; // 4 bytes each, plus three
        for (String n : List.of(ascii, cjk, mixed, emoji)) {
            assertThat(n.getBytes(StandardCharsets.UTF_8)).hasSize(255);
            Files.writeString(src.resolve(n), n);
        }
        Path folder = Files.createDirectories(src.resolve("d" + "ü".repeat(127)));
        Files.writeString(folder.resolve(cjk), "inside a 255-byte folder");
        TreeComparison.Manifest source = TreeComparison.scan(src);
        CliRunner cli = E2e.smallRepository(tmp);
        assertThat(ok(cli, "backup", src.toString()).err()).isEmpty();
        assertThat(ok(cli, "ls", "latest", src.toString()).out()).contains(src + "/" + cjk + "\n", "/" + emoji + "\n");

        Path target = tmp.resolve("restored");
        assertThat(ok(cli, "restore", "latest", "--target", target.toString()).err()).isEmpty();
        assertThat(TreeComparison.compare(source, TreeComparison.scan(E2e.restoredAt(target, src)))).isEmpty();
    }

    /**
     * A path of about 4,000 bytes is saved and listed, and restored whole into a target whose own
     * path takes it beyond 4,096 bytes (the restore used to stop with exit 1 at the first folder).
     */
    @Test
    void pathOfAbout4000Bytes_isSavedListedAndRestored_evenBeyond4096WithTheTarget() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<String> segments = new ArrayList<>();
        Path deep = src;
        for (int i = 0; PathBytes.of(deep).length < 3800; i++) {
            segments.add(String.valueOf((char) ('a' + i)).repeat(200));
            deep = deep.resolve(segments.get(i));
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("leaf.txt"), "deep");
        for (int i = 0; i < 14; i++) {
            Files.writeString(src.resolve("file-" + i + ".txt"), "file " + i);
        }
        assertThat(PathBytes.of(deep.resolve("leaf.txt")).length).isBetween(3800, 4095);
        CliRunner cli = E2e.smallRepository(tmp);
        assertThat(ok(cli, "backup", src.toString()).err()).isEmpty();
        assertThat(ok(cli, "ls", "latest", src.toString()).out()).contains(deep + "/leaf.txt\n");

        Path target = tmp.resolve("t".repeat(250)).resolve("u".repeat(250));
        try {
            CliRunner.Result r = ok(cli, "restore", "latest", "--target", target.toString());
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("restored 15 files");
            Path restored = E2e.restoredAt(target, src);
            assertThat(readDeep(restored, segments, "leaf.txt")).isEqualTo("deep");
            assertThat(Files.readString(restored.resolve("file-13.txt"))).isEqualTo("file 13");
        } finally {
            removeDeep(tmp.resolve("t".repeat(250)));
        }
    }

    /** On a tmpfs, so that what is timed is Strata and not a shared disk deleting 200,000 files. */
    @Test
    void aHundredThousandFilesInOneFolder_roundTripInSeconds() throws Exception {
        try (Tmpfs fast = Tmpfs.mount(tmp.resolve("fast"), "2g")) {
            Path src = Files.createDirectories(fast.dir.resolve("src"));
            Path big = Files.createDirectories(src.resolve("big"));
            int count = 100_000;
            for (int i = 0; i < count; i++) {
                Files.write(big.resolve(String.format("f%06d", i)), new byte[] {(byte) i, (byte) (i >> 8)});
            }
            CliRunner cli = E2e.smallRepository(fast.dir);
            long t0 = System.nanoTime();
            long c0 = cpu();
            CliRunner.Result backup = ok(cli, "backup", src.toString());
            long backupMs = (System.nanoTime() - t0) / 1_000_000;
            long backupCpu = (cpu() - c0) / 1_000_000;
            assertThat(backup.err()).isEmpty();
            long t1 = System.nanoTime();
            long listed = ok(cli, "ls", "latest", big.toString()).out().lines().count();
            long lsMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(listed).isEqualTo(count);
            Path target = fast.dir.resolve("restored");
            long t2 = System.nanoTime();
            long c2 = cpu();
            ok(cli, "restore", "latest", "--target", target.toString());
            long restoreMs = (System.nanoTime() - t2) / 1_000_000;
            long restoreCpu = (cpu() - c2) / 1_000_000;
            System.out.printf("100,000 files in one folder: backup %,d ms (CPU %,d ms), ls %,d ms, restore %,d ms (CPU %,d ms)%n",
                    backupMs, backupCpu, lsMs, restoreMs, restoreCpu);
            Path restored = E2e.restoredAt(target, big);
            int n = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(restored)) {
                for (Path ignored : ds) {
                    n++;
                }
            }
            assertThat(n).isEqualTo(count);
            assertThat(Files.readAllBytes(restored.resolve("f099999"))).containsExactly((byte) 99_999, (byte) (99_999 >> 8));
            // Generous bounds for a loaded machine; a few seconds each on an idle one.
            assertThat(backupMs).as("backup of 100,000 small files").isLessThan(60_000);
            assertThat(restoreMs).as("restore of 100,000 small files").isLessThan(60_000);
        }
    }

    /** CPU time of this process in ns (all threads): what a loaded machine does not inflate. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String readDeep(Path root, List<String> segments, String file) throws IOException {
        List<DirectoryHandle> handles = new ArrayList<>();
        try {
            Path at = root;
            for (String s : segments) {
                at = at.resolve(s);
                if (PathBytes.of(at).length > 3000) {
                    DirectoryHandle h = Posix.get().openDirectory(at);
                    handles.add(h);
                    at = h.path();
                }
            }
            return Files.readString(at.resolve(file));
        } finally {
            handles.forEach(DirectoryHandle::close);
        }
    }

    /** JUnit's clean-up walks by full paths, which fail beyond 4,096 bytes; rm does not. */
    static void removeDeep(Path p) throws IOException {
        try {
            Process rm = new ProcessBuilder("rm", "-rf", "--", p.toString()).inheritIO().start();
            assertThat(rm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

}
