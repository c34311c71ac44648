package dev.strata.fstests;

import dev.strata.fuse.FuseMount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes a test's folder afterwards, refusing to descend into anything still mounted. */
final class TempDirs {
    private TempDirs() {
    }

    static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (FuseMount.isMounted(p)) {
                    throw new IOException(p + " is still mounted; not deleting below it");
                }
                Files.deleteIfExists(p);
            }
        }
    }
}
