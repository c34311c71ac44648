package dev.strata.snapshot.restore;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Looks at what is already at a place in the target: its status without following a symlink, or
 * null when nothing is there. Thread-safe. A restore into an empty folder never asks (it creates
 * with O_EXCL and only looks when that finds something), so this is what a resumed or overlapping
 * restore pays per entry.
 */
interface EntryProbe {
    FileStatus lstatOrNull(Path path) throws IOException;

    static EntryProbe of(Posix posix) {
        return path -> {
            try {
                return posix.lstat(path);
            } catch (NoSuchFileException e) {
                return null;
            }
        };
    }
}
