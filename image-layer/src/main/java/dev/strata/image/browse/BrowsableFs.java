package dev.strata.image.browse;

import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.util.List;

/**
 * A filesystem inside an image, read-only, read in place. Damage answers
 * {@link FilesystemDamageException} for the structure it concerns. Thread-safe.
 */
public interface BrowsableFs {
    /** {@code ext4}, {@code fat32}… */
    String kind();

    FsNode root() throws IOException;

    /** The entries of a folder, without {@code .} and {@code ..}. */
    List<FsChild> list(FsNode dir) throws IOException;

    /** Reads up to {@code length} bytes of a regular file at {@code offset}; fewer only at its end. */
    int read(FsNode file, long offset, byte[] dst, int dstOffset, int length) throws IOException;

    /**
     * Where a regular file's bytes lie in the filesystem, in file order, each run as long as the
     * file's bytes are contiguous both in the file and on disk (holes, unwritten extents and data kept
     * inside metadata, such as ext inline data, have none). The last run ends at the file's size, not
     * at its block's end.
     */
    List<DataRun> dataRuns(FsNode file) throws IOException;

    byte[] readLink(FsNode link) throws IOException;

    List<Xattr> xattrs(FsNode node) throws IOException;
}
