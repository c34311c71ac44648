package dev.strata.core.posix;

import dev.strata.core.name.NameBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Paths keep the exact bytes of names that are not UTF-8, through the JDK and through the native layer. */
class PathBytesTest {
    private static final byte[] CAFE = {'c', 'a', 'f', (byte) 0xE9};

    @TempDir
    Path dir;

    private final Posix posix = Posix.get();

    @Test
    void theBuildOpensTheJdkInternals() {
        assertThat(PathBytes.exact()).as("--add-opens java.base/sun.nio.fs=ALL-UNNAMED").isTrue();
    }

    @Test
    void nonUtf8Name_isCreatedListedAndStattedByItsBytes() throws IOException, InterruptedException {
        String name = NameBytes.decode(CAFE);
        Path file = PathBytes.resolve(dir, name);
        Files.writeString(file, "data");

        List<Path> listed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(listed::add);
        }
        assertThat(listed).hasSize(1);
        assertThat(PathBytes.of(listed.get(0).getFileName())).isEqualTo(CAFE);
        assertThat(PathBytes.name(listed.get(0))).isEqualTo(name);
        assertThat(listed.get(0)).isEqualTo(file);
        // The native layer passes the same bytes (lossy strings made this "no such file").
        assertThat(posix.lstat(listed.get(0)).size()).isEqualTo(4);
        // The bytes really are 0xE9, not U+FFFD's EF BF BD: ls as the shell sees it.
        assertThat(Shell.run("sh", "-c", "ls -1 -- \"$0\" | od -An -tx1", dir.toString()).trim()).isEqualTo("63 61 66 e9 0a");
    }

    @Test
    void symlinkTarget_keepsEveryByte_evenDoubleSlashes() throws IOException {
        byte[] target = {'.', '.', '/', '/', 'x', (byte) 0xFF, '/'};
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, PathBytes.path(target));
        assertThat(PathBytes.of(Files.readSymbolicLink(link))).isEqualTo(target);
    }

    @Test
    void xattrNames_areBytesToo() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");
        String name = NameBytes.decode(new byte[] {'u', 's', 'e', 'r', '.', (byte) 0xE9});
        try {
            posix.setXattr(file, name, new byte[] {7});
        } catch (java.nio.file.FileSystemException e) {
            org.junit.jupiter.api.Assumptions.abort("no user xattrs here: " + e.getMessage());
        }
        assertThat(posix.listXattrs(file)).contains(name);
        assertThat(posix.getXattr(file, name)).hasValueSatisfying(v -> assertThat(v).containsExactly(7));
    }

    @Test
    void resolve_takesOneComponentOnly() {
        assertThatThrownBy(() -> PathBytes.resolve(dir, "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathBytes.resolve(dir, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathBytes.path(new byte[] {'a', 0})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printable_showsTheBytes() {
        assertThat(PathBytes.printable(PathBytes.resolve(Path.of("/tmp"), NameBytes.decode(CAFE) + "\n")))
                .isEqualTo("/tmp/caf\\xe9\\n");
    }
}
