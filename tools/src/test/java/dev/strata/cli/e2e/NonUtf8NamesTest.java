package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.name.NameBytes;
import dev.strata.core.posix.PathBytes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux names are bytes: a file, a folder (with everything in it) and a symlink target that are not
 * UTF-8 are backed up, listed, found and restored byte for byte, and shown to people escaped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NonUtf8NamesTest {
    /** "café" in Latin-1: 0xE9 is not valid UTF-8 on its own. */
    static final byte[] CAFE = {'c', 'a', 'f', (byte) 0xE9};
    static final byte[] FOLDER = {'d', 'i', 'r', (byte) 0xFF};

    @TempDir
    static Path tmp;
    static Path src;
    static CliRunner cli;
    static TreeComparison.Manifest source;
    static CliRunner.Result backup;

    @BeforeAll
    static void backUp() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(name(src, CAFE, ".txt"), "latin-1 name");
        Path folder = Files.createDirectory(name(src, FOLDER, ""));
        Files.writeString(folder.resolve("inner.txt"), "inside a folder whose name is not UTF-8");
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(name(folder.resolve("sub"), CAFE, "-deep"), "deep");
        Files.createSymbolicLink(src.resolve("link"), PathBytes.path(bytes(CAFE, ".txt")));
        Files.createSymbolicLink(src.resolve("dangling"), PathBytes.path(new byte[] {'.', '.', '/', (byte) 0x80, '/', '/', 'x'}));
        Files.writeString(src.resolve("plain.txt"), "plain");
        source = TreeComparison.scan(src);
        cli = E2e.smallRepository(tmp);
        backup = cli.run("backup", src.toString());
    }

    @Test
    void backup_savesEveryEntry_withoutWarnings() {
        assertThat(backup.code()).as(backup.toString()).isZero();
        assertThat(backup.err()).isEmpty();
        assertThat(source.paths()).hasSize(9);
    }

    @Test
    void restore_givesBackTheExactBytes_ofNamesAndSymlinkTargets() throws IOException {
        Path target = tmp.resolve("restored");
        CliRunner.Result r = ok(cli, "restore", "latest", "--target", target.toString());
        assertThat(r.err()).isEmpty();
        Path restored = E2e.restoredAt(target, src);
        assertThat(TreeComparison.compare(source, TreeComparison.scan(restored))).isEmpty();
        assertThat(Files.readString(name(restored, CAFE, ".txt"))).isEqualTo("latin-1 name");
        assertThat(PathBytes.of(Files.readSymbolicLink(restored.resolve("link")))).isEqualTo(bytes(CAFE, ".txt"));
        assertThat(PathBytes.of(Files.readSymbolicLink(restored.resolve("dangling"))))
                .isEqualTo(new byte[] {'.', '.', '/', (byte) 0x80, '/', '/', 'x'});
    }

    @Test
    void ls_showsTheBytesEscaped_onOneLine_andJsonKeepsThem() throws IOException {
        String out = ok(cli, "ls", "latest", src.toString()).out();
        assertThat(out).contains(src + "/caf\\xe9.txt\n", src + "/dir\\xff/sub/caf\\xe9-deep\n");
        String longForm = ok(cli, "ls", "-l", "latest", src.toString()).out();
        assertThat(longForm).contains("link -> caf\\xe9.txt");
        List<JsonNode> json = out(ok(cli, "ls", "--json", "latest", src.toString()).out());
        assertThat(json).anySatisfy(n -> assertThat(NameBytes.encode(n.get("path").asText()))
                .isEqualTo(bytes((src + "/").getBytes(), bytes(CAFE, ".txt"))));
    }

    @Test
    void find_matchesSuchNames() {
        String out = ok(cli, "find", "caf*").out();
        assertThat(out).contains("/caf\\xe9.txt", "/dir\\xff/sub/caf\\xe9-deep").contains("2 matches");
    }

    @Test
    void diff_showsSuchNamesEscaped(@TempDir Path own) throws IOException {
        Path tree = Files.createDirectories(own.resolve("tree"));
        Files.writeString(name(tree, CAFE, ".txt"), "v1");
        CliRunner c = E2e.smallRepository(own);
        ok(c, "backup", tree.toString());
        Files.writeString(name(tree, CAFE, ".txt"), "version 2");
        Files.writeString(name(tree, FOLDER, "\n.new"), "new");
        ok(c, "backup", tree.toString());
        JsonNode list = E2e.JSON.readTree(ok(c, "snapshots", "--json").out());
        String out = ok(c, "diff", list.get(0).get("id").asText(), list.get(1).get("id").asText()).out();
        assertThat(out).contains("M  " + tree + "/caf\\xe9.txt", "+  " + tree + "/dir\\xff\\n.new");
        assertThat(out.lines().filter(l -> l.contains("dir\\xff"))).hasSize(1);
    }

    static Path name(Path dir, byte[] stem, String suffix) {
        return dir.resolve(PathBytes.path(bytes(stem, suffix)));
    }

    static byte[] bytes(byte[] stem, String suffix) {
        return bytes(stem, suffix.getBytes());
    }

    static byte[] bytes(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static List<JsonNode> out(String text) throws IOException {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            nodes.add(E2e.JSON.readTree(line));
        }
        return nodes;
    }
}
