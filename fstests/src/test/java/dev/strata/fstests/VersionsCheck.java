package dev.strata.fstests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads every version a mounted volume lists under {@code versions/volume-NAME/}, whole. Stateless. */
final class VersionsCheck {
    private VersionsCheck() {
    }

    /** Reads every version file below {@code versions}; at least {@code atLeast} must be there. Returns how many. */
    static int readsBack(Path versions, int atLeast) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(versions)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        byte[] buf = new byte[1 << 20];
        for (Path f : files) {
            long size = Files.size(f);
            long read = 0;
            try (InputStream in = Files.newInputStream(f)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    read += n;
                }
            } catch (IOException e) {
                throw new AssertionError("version " + versions.relativize(f) + " does not read back: " + e, e);
            }
            assertThat(read).as("bytes read of version " + versions.relativize(f)).isEqualTo(size);
        }
        assertThat(files.size()).as("versions listed under " + versions).isGreaterThanOrEqualTo(atLeast);
        return files.size();
    }
}
