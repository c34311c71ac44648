package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The facade of the native POSIX layer: the file metadata calls backup, restore and disk images
 * need and the JDK lacks. Thread-safe; one instance per process, from {@link #get()}.
 *
 * <p>Errors are the JDK's exceptions where one fits ({@code ENOENT} is a
 * {@link java.nio.file.NoSuchFileException}, {@code EACCES} and {@code EPERM} an
 * {@link java.nio.file.AccessDeniedException}, and so on), otherwise a
 * {@link java.nio.file.FileSystemException}; the message names the path, the call and the C
 * library's description of the error.
 */
public final class Posix {
    private final StatReader stat;
    private final Xattrs xattrs;
    private final SpecialFiles specialFiles;
    private final MetadataWriter metadata;
    private final ExtentScanner extents;
    private final UserDatabase users;
    private final BlockDevices blockDevices;
    private final Libc.Functions libc;
    private final NativeErrors errors;

    private Posix(Libc.Functions libc) {
        NativeErrors errors = new NativeErrors(libc);
        this.libc = libc;
        this.errors = errors;
        this.stat = new StatReader(libc, errors);
        this.xattrs = new Xattrs(libc, errors);
        this.specialFiles = new SpecialFiles(libc, errors);
        this.metadata = new MetadataWriter(libc, errors);
        this.extents = new ExtentScanner(libc, errors, stat);
        this.users = new UserDatabase(libc);
        this.blockDevices = new BlockDevices(libc, errors, stat);
    }

    /** Loads the C library once, on first use, and remembers a failure instead of retrying it. */
    private static final class Holder {
        static final Posix INSTANCE;
        static final Throwable FAILURE;

        static {
            Posix posix = null;
            Throwable failure = null;
            try {
                posix = new Posix(Libc.load());
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            }
            INSTANCE = posix;
            FAILURE = failure;
        }
    }

    /**
     * The process's instance; the first call loads the C library.
     *
     * @throws UnsupportedOperationException on anything but Linux, or if the C library or one of
     *     its functions cannot be loaded
     */
    public static Posix get() {
        if (Holder.INSTANCE == null) {
            throw new UnsupportedOperationException("native POSIX layer unavailable: " + Holder.FAILURE,
                    Holder.FAILURE);
        }
        return Holder.INSTANCE;
    }

    // ---- status ----

    /** The status of the file, or of the symlink itself. */
    public FileStatus lstat(Path path) throws IOException {
        return stat.stat(path, false);
    }

    /** The status of the file, following symlinks. */
    public FileStatus stat(Path path) throws IOException {
        return stat.stat(path, true);
    }

    // ---- ownership, permissions, times ----

    /** Changes the owner of the file or of the symlink itself; -1 leaves the uid or gid as it is. */
    public void lchown(Path path, int uid, int gid) throws IOException {
        metadata.lchown(path, uid, gid);
    }

    /** Sets the permission bits ({@code 07777}); follows symlinks, as Linux cannot chmod one. */
    public void chmod(Path path, int permissions) throws IOException {
        metadata.chmod(path, permissions);
    }

    /**
     * Sets access and modification times to the nanosecond. A null time is left unchanged.
     *
     * @param followLinks false to set the times of a symlink itself
     */
    public void setTimes(Path path, Timespec atime, Timespec mtime, boolean followLinks) throws IOException {
        metadata.setTimes(path, atime, mtime, followLinks);
    }

    /** Sets the length of a regular file (following symlinks): cut, or grown by a hole at its end. */
    public void truncate(Path path, long length) throws IOException {
        metadata.truncate(path, length);
    }

    // ---- extended attributes, never following symlinks ----

    /** The names of the extended attributes in all namespaces; empty where the filesystem has none. */
    public List<String> listXattrs(Path path) throws IOException {
        return xattrs.list(path);
    }

    /** The attribute's value, or empty if there is no such attribute. */
    public Optional<byte[]> getXattr(Path path, String name) throws IOException {
        return xattrs.get(path, name);
    }

    /** Creates or replaces the attribute. */
    public void setXattr(Path path, String name, byte[] value) throws IOException {
        xattrs.set(path, name, value);
    }

    public void removeXattr(Path path, String name) throws IOException {
        xattrs.remove(path, name);
    }

    // ---- deep trees and identity ----

    /**
     * Holds the directory open so that entries below it can be named by a short path
     * ({@link DirectoryHandle}); fails if {@code dir} is a symlink or no directory.
     */
    public DirectoryHandle openDirectory(Path dir) throws IOException {
        return DirectoryHandle.open(libc, errors, dir);
    }

    /** The effective uid of this process: 0 may change owners, whatever the user is called. */
    public int effectiveUid() {
        return libc.geteuid();
    }

    // ---- special files ----

    /**
     * Creates a character or block device, fifo or socket file. The umask applies.
     *
     * @param mode one of {@link FileMode#S_IFCHR}, {@code S_IFBLK}, {@code S_IFIFO} or
     *     {@code S_IFSOCK}, or'ed with permission bits
     * @param rdev the device number for devices (see {@link DeviceNumbers#makedev}), else 0
     */
    public void mknod(Path path, int mode, long rdev) throws IOException {
        specialFiles.mknod(path, mode, rdev);
    }

    /** Creates a fifo. The umask applies. */
    public void mkfifo(Path path, int permissions) throws IOException {
        specialFiles.mkfifo(path, permissions);
    }

    // ---- sparse files ----

    /**
     * The data regions of a regular file (following symlinks), in order; none for an empty file,
     * one covering the file where the filesystem cannot report holes.
     */
    public List<Extent> dataExtents(Path file) throws IOException {
        return extents.dataExtents(file);
    }

    // ---- users and groups, cached ----

    public Optional<String> userName(int uid) {
        return users.userName(uid);
    }

    public Optional<String> groupName(int gid) {
        return users.groupName(gid);
    }

    public OptionalInt uid(String userName) {
        return users.uid(userName);
    }

    public OptionalInt gid(String groupName) {
        return users.gid(groupName);
    }

    // ---- block devices ----

    /** Whether the path (following symlinks) is a block device; false if it cannot be read. */
    public boolean isBlockDevice(Path path) {
        try {
            return stat.stat(path, true).isBlockDevice();
        } catch (IOException e) {
            return false;
        }
    }

    /** The size of a block device in bytes. */
    public long blockDeviceSize(Path device) throws IOException {
        return blockDevices.size(device);
    }

    /** The logical sector size of a block device in bytes (usually 512 or 4096). */
    public int logicalSectorSize(Path device) throws IOException {
        return blockDevices.logicalSectorSize(device);
    }
}
