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

    /** The space of the storage behind this entry (statfs), when the view has any to tell. */
    default Optional<SpaceInfo> space() throws IOException {
        return Optional.empty();
    }

    /** Makes the changes made to this entry durable (fsyncdir); nothing to do for immutable views. */
    default void sync() throws IOException {
    }

    /** Whether the entry's content and attributes never change (lets the kernel cache them). */
    default boolean immutable() {
        return true;
    }

    // The write calls. Immutable views (snapshots, images) keep these defaults and refuse every
    // change with ReadOnlyFileSystemException; the live volume overrides them.

    /** Opens a regular file for reading and writing. */
    default OpenFile openForWriting() throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Creates a regular file called {@code name} in this folder, owned by {@code caller}, and opens it for writing. */
    default OpenFile create(String name, int mode, Caller caller) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Creates a folder called {@code name} in this folder. */
    default void mkdir(String name, int mode, Caller caller) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Creates a special file (fifo, device, socket) called {@code name} in this folder. */
    default void mknod(String name, int mode, long rdev, Caller caller) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Creates a symlink called {@code name} in this folder. */
    default void symlink(String name, byte[] target, Caller caller) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Adds the name {@code name} in this folder for {@code existing} (a hard link). */
    default void link(String name, ViewNode existing) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Removes the entry {@code name} from this folder ({@code directory}: rmdir, else unlink). */
    default void remove(String name, boolean directory) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    /** Moves entry {@code name} of this folder to {@code newName} in {@code target}. */
    default void rename(String name, ViewNode target, String newName) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    default void setMode(int mode) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    default void setOwner(long uid, long gid) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    default void setTimes(dev.strata.core.tree.Timestamp atime, dev.strata.core.tree.Timestamp mtime) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    default void truncate(long size) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    default void setXattr(String name, byte[] value) throws IOException {
        throw new ReadOnlyFileSystemException();
    }

    default void removeXattr(String name) throws IOException {
        throw new ReadOnlyFileSystemException();
    }
}
