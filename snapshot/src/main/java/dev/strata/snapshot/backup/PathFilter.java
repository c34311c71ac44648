package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Decides which entries a backup leaves out. Implementations are immutable and thread-safe. */
public interface PathFilter {
    PathFilter NONE = new PathFilter() {
        @Override
        public boolean excludes(Path path, String name, FileStatus status) {
            return false;
        }

        @Override
        public PathFilter enter(Path dir, List<String> names, Warnings warnings) {
            return this;
        }
    };

    /** Whether to leave out the entry {@code name} at {@code path}. */
    boolean excludes(Path path, String name, FileStatus status);

    /**
     * The filter for the entries of directory {@code dir}, whose entry names are {@code names};
     * problems reading its rules (an unreadable .strataignore) go to {@code warnings}.
     */
    PathFilter enter(Path dir, List<String> names, Warnings warnings) throws IOException;
}
