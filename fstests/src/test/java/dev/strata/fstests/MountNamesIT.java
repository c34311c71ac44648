package dev.strata.fstests;

import dev.strata.core.posix.PathBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names are bytes in the mount too: a file, a folder and a symlink target that are not UTF-8, and a
 * name with a newline, are listed under their exact bytes and read through a real kernel mount.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MountNamesIT {
    private static final byte[] CAFE = {'c', 'a', 'f', (byte) 0xE9, '.', 't', 'x', 't'};
    private static final byte[] FOLDER = {'d', 'i', 'r', (byte) 0xFF};
    private static final byte[] NEWLINE = {'a', '\n', 'b'};

    private Path dir;
    private Strata strata;
    private MountProcess mount;
    private Path latest;

    @BeforeAll
    void mountABackup() throws Exception {
        dir = Files.createTempDirectory("strata-names-it");
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.writeString(source.resolve(PathBytes.path(CAFE)), "latin-1 name\n");
        Path folder = Files.createDirectory(source.resolve(PathBytes.path(FOLDER)));
        Files.writeString(folder.resolve("inner.txt"), "inside\n");
        Files.writeString(source.resolve(PathBytes.path(NEWLINE)), "newline in the name\n");
        Files.createSymbolicLink(source.resolve("link"), PathBytes.path(CAFE));
        strata = new Strata(dir);
        strata.run("init").ok();
        Strata.Result backup = strata.run("backup", "--quiet", source.toString()).ok();
        assertThat(backup.err()).isEmpty();
        mount = MountProcess.start(strata, dir.resolve("mnt"));
        try (Stream<Path> sources = Files.list(mount.mountpoint.resolve("snapshots"))) {
            Path link = sources.findFirst().orElseThrow().resolve("latest");
            latest = link.resolveSibling(Files.readSymbolicLink(link));
        }
    }

    @AfterAll
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
            assertThat(dev.strata.fuse.FuseMount.isMounted(mount.mountpoint)).isFalse();
        }
        TempDirs.delete(dir);
    }

    @Test
    void listing_showsTheExactBytes() throws IOException {
        List<byte[]> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(latest)) {
            ds.forEach(p -> names.add(PathBytes.of(p.getFileName())));
        }
        assertThat(names).anySatisfy(n -> assertThat(n).isEqualTo(CAFE));
        assertThat(names).anySatisfy(n -> assertThat(n).isEqualTo(FOLDER));
        assertThat(names).anySatisfy(n -> assertThat(n).isEqualTo(NEWLINE));
        assertThat(names).hasSize(4);
    }

    @Test
    void filesAndFolders_areReadByTheirBytes() throws IOException {
        assertThat(Files.readString(latest.resolve(PathBytes.path(CAFE)))).isEqualTo("latin-1 name\n");
        assertThat(Files.readString(latest.resolve(PathBytes.path(FOLDER)).resolve("inner.txt"))).isEqualTo("inside\n");
        assertThat(Files.readString(latest.resolve(PathBytes.path(NEWLINE)))).isEqualTo("newline in the name\n");
    }

    @Test
    void symlinkTarget_isTheExactBytes_andLeadsToTheFile() throws IOException {
        assertThat(PathBytes.of(Files.readSymbolicLink(latest.resolve("link")))).isEqualTo(CAFE);
        assertThat(Files.readString(latest.resolve("link"))).isEqualTo("latin-1 name\n");
    }

    @Test
    void theShell_seesTheSameBytes() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "cat -- \"$0\"/caf*.txt && ls -1 -- \"$0\" | od -An -tx1 | tr -d ' \\n'",
                latest.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).startsWith("latin-1 name\n");
        // ls quotes nothing when its output is a pipe: the raw bytes, each name on its own line
        assertThat(out).contains(hex(CAFE) + "0a", hex(FOLDER) + "0a");
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

}
