package dev.strata.core.view;

import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.file.NotDirectoryException;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a browsable tree: the neutral interface that snapshot, image, volume and peer views
 * implement and that FUSE, restore and tests consume. Read calls are required; write calls default
 * to refusing with {@link ReadOnlyFileSystemException} (immutable views). Implementations are
 * thread-safe.
 */
public interface ViewNode {

    Attributes attributes() throws IOException;

    /** The entries of a folder; fails with {@link NotDirectoryException} for anything else. */
    default List<DirEntry> list() throws IOException {
        throw new NotDirectoryException(toString());
    }

    /** The entry called {@code name} in this folder, if there is one. */
    default Optional<ViewNode> child(String name) throws IOException {
        throw new NotDirectoryException(toString());
    }

    /** Opens a regular file for reading. */
    default OpenFile open() throws IOException {
        throw new java.nio.file.FileSystemException(toString(), null, "not a regular file");
    }

    /** A symlink's target bytes. */
    default byte[] readLink() throws IOException {
        throw new java.nio.file.FileSystemException(toString(), null, "not a symlink");
    }

    default List<Xattr> xattrs() throws IOException {
        return List.of();
    }

    /** Whether the entry's content and attributes never change (lets the kernel cache them). */
    default boolean immutable() {
        return true;
    }

    /** Refuses any change: the write calls of an immutable view. */
    static IOException readOnly(String what) {
        return new java.nio.file.FileSystemException(what, null, "read-only file system") {
            @Override
            public synchronized Throwable getCause() {
                return new ReadOnlyFileSystemException();
            }
        };
    }
}
