package dev.strata.snapshot.backup;

import dev.strata.core.posix.Extent;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * What a backup reads from the filesystem it saves: metadata without following symlinks, directory
 * listings, file contents and their holes. Tests substitute one that fails on chosen paths.
 * Implementations are thread-safe.
 */
public interface SourceFs {
    FileStatus lstat(Path path) throws IOException;

    /** The names in a directory, in no particular order. */
    List<String> list(Path dir) throws IOException;

    List<Xattr> xattrs(Path path) throws IOException;

    byte[] readLink(Path path) throws IOException;

    FileChannel open(Path file) throws IOException;

    /** The file's data regions (holes lie between them). */
    List<Extent> dataExtents(Path file) throws IOException;

    String userName(int uid);

    String groupName(int gid);
}
