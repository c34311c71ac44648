package dev.strata.fuse;

import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.Caller;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.SpaceInfo;
import dev.strata.core.view.ViewNode;
import jnr.ffi.Pointer;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.uid_t;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;

/**
 * Translates FUSE callbacks onto a view: each callback is a few lines that delegate, inside one
 * guard that catches everything (jnr-fuse does not) and maps it through {@link ErrnoTable}. Open
 * files live in a {@link HandleTable}, so reads never resolve their path again. No domain logic
 * here. Thread-safe: libfuse calls it from several threads.
 */
public final class FuseAdapter extends FuseStubFS {
    private final PathResolver paths;
    private final HandleTable handles = new HandleTable();
    private final MountLog log;
    private final Statistics statistics;
    /** Keeps the exact-path callbacks reachable while libfuse may call them. */
    private ExactPathCallbacks exactPaths;

    /** Counts of callbacks, to see how many requests each file costs. Thread-safe. */
    public static final class Statistics {
        final java.util.concurrent.atomic.LongAdder getattr = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder readdir = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder open = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder read = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder write = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder release = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder fsync = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder xattr = new java.util.concurrent.atomic.LongAdder();
        /** create, mkdir, mknod, symlink, link */
        final java.util.concurrent.atomic.LongAdder create = new java.util.concurrent.atomic.LongAdder();
        /** unlink, rmdir, rename */
        final java.util.concurrent.atomic.LongAdder remove = new java.util.concurrent.atomic.LongAdder();
        /** chmod, chown, truncate, ftruncate, utimens, setxattr, removexattr */
        final java.util.concurrent.atomic.LongAdder setattr = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder other = new java.util.concurrent.atomic.LongAdder();

        @Override
        public String toString() {
            return "getattr " + getattr + ", readdir " + readdir + ", open " + open + ", read " + read
                    + ", write " + write + ", release " + release + ", fsync " + fsync
                    + ", xattr " + xattr + ", create " + create + ", remove " + remove + ", setattr " + setattr
                    + ", other " + other;
        }
    }

    public FuseAdapter(ViewNode root, MountLog log) {
        this.paths = new PathResolver(root);
        this.log = log;
        this.statistics = new Statistics();
    }

    public Statistics statistics() {
        return statistics;
    }

    /** The body of a callback; its result is returned to libfuse as is. */
    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    /** Runs a callback body; whatever it throws becomes a negative errno, never an escaped exception. */
    int guard(String path, Body body) {
        try {
            return body.run();
        } catch (Throwable t) {
            if (ErrnoTable.worthLogging(t)) {
                log.once(path, t);
            }
            return -ErrnoTable.errno(t);
        }
    }

    // --- reading -------------------------------------------------------------------------------

    @Override
    public int getattr(String path, FileStat stat) {
        statistics.getattr.increment();
        return guard(path, () -> {
            StatFiller.fill(stat, paths.resolve(path).attributes());
            return 0;
        });
    }

    /** fstat: the open file's attributes, by its handle (its name may be gone: libfuse passes no path then). */
    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        statistics.getattr.increment();
        return guard(path, () -> {
            StatFiller.fill(stat, handles.node(fi.fh.get()).attributes());
            return 0;
        });
    }

    @Override
    public int readlink(String path, Pointer buf, @size_t long size) {
        statistics.other.increment();
        return guard(path, () -> {
            byte[] target = paths.resolve(path).readLink();
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, @off_t long offset, FuseFileInfo fi) {
        // jnr-fuse's filler, for callers other than libfuse (tests): libfuse's table points at readdirExact.
        return readdirInto(path, new DirFiller(buf, (b, name, stat, off) -> {
            byte[] bytes = new byte[name.indexOf(0, (byte) 0) + 1];
            name.get(0, bytes, 0, bytes.length);
            return filler.apply(b, ByteBuffer.wrap(bytes), stat, off);
        }));
    }

    /** readdir as libfuse calls it: its native filler, called through buffers kept per thread. */
    int readdirExact(String path, Pointer buf, Pointer filler) {
        return readdirInto(path, DirFiller.of(buf, filler));
    }

    private int readdirInto(String path, DirFiller filler) {
        statistics.readdir.increment();
        return guard(path, () -> {
            List<DirEntry> entries = paths.resolve(path).list();
            if (filler.addDots()) {
                for (DirEntry e : entries) {
                    if (!filler.add(e.name(), e.attributes())) {
                        break;
                    }
                }
            }
            return 0;
        });
    }

    /**
     * Opens a file. In a writable mount the kernel drops the pages it cached of a file at every open
     * (no kernel_cache), since a view may change a file other than through the mount. But while the
     * file is open for writing through this same name, its pages are the newest there is: the view
     * changes a file open for writing only through its handles (a sync peer leaves it alone), and
     * writes go through these pages. Dropping them then is harmful: a write copies its bytes into
     * the pages and only then sends them, so an open dropping them in between, and a read of the
     * opener fetching them again, would put the bytes from before the write back in the cache, where
     * the writer reads them back. So such an open keeps the pages.
     */
    @Override
    public int open(String path, FuseFileInfo fi) {
        statistics.open.increment();
        return guard(path, () -> {
            ViewNode node = paths.resolve(path);
            // O_WRONLY or O_RDWR: immutable views refuse with EROFS.
            if ((fi.flags.get() & 3) == 0) {
                boolean keep = handles.anyWritten() && writtenOnlyThrough(path, node.attributes());
                fi.fh.set(handles.add(node, node.open()));
                if (keep) {
                    OpenReply.keepCache(fi);
                }
                return 0;
            }
            OpenFile file = node.openForWriting();
            try {
                Attributes a = node.attributes();
                boolean keep = writtenOnlyThrough(path, a);
                fi.fh.set(handles.addWritable(node, file, path, a.inode()));
                if (keep) {
                    OpenReply.keepCache(fi);
                }
                return 0;
            } catch (Throwable t) {
                file.close();
                throw t;
            }
        });
    }

    /**
     * Whether the file is open for writing by {@code path} alone, and has no other name: then every
     * change of its content goes through the kernel node of that name, whose pages are current.
     */
    private boolean writtenOnlyThrough(String path, Attributes a) {
        return a.links() == 1 && handles.writtenOnlyThrough(path, a.inode());
    }

    @Override
    public int read(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        statistics.read.increment();
        return guard(path, () -> handles.get(fi.fh.get()).read(offset, (int) size, new PointerSink(buf)));
    }

    // No flush: a close has nothing to do before its release, and a file system that does not answer
    // it is not asked again (the kernel otherwise sends one at every close(2): a request per file saved).

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        statistics.fsync.increment();
        return guard(path, () -> {
            handles.get(fi.fh.get()).sync();
            return 0;
        });
    }

    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        statistics.fsync.increment();
        return guard(path, () -> {
            paths.resolve(path).sync();
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, @off_t long size, FuseFileInfo fi) {
        statistics.setattr.increment();
        return guard(path, () -> {
            handles.get(fi.fh.get()).truncate(size);
            return 0;
        });
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        statistics.release.increment();
        return guard(path, () -> {
            handles.release(fi.fh.get());
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        statistics.other.increment();
        return guard(path, () -> {
            stbuf.f_bsize.set(4096);
            stbuf.f_frsize.set(4096);
            stbuf.f_namemax.set(255);
            Optional<SpaceInfo> space = paths.resolve(path).space();
            if (space.isPresent()) {
                SpaceInfo s = space.get();
                stbuf.f_blocks.set(s.totalBytes() / 4096);
                stbuf.f_bfree.set(s.freeBytes() / 4096);
                stbuf.f_bavail.set(s.availableBytes() / 4096);
                stbuf.f_files.set(s.files() + s.freeFiles());
                stbuf.f_ffree.set(s.freeFiles());
                stbuf.f_favail.set(s.freeFiles());
            }
            return 0;
        });
    }

    @Override
    public int getxattr(String path, String name, Pointer value, @size_t long size) {
        statistics.xattr.increment();
        return guard(path, () -> {
            for (Xattr x : paths.resolve(path).xattrs()) {
                if (x.name().equals(name)) {
                    byte[] v = x.value();
                    if (size == 0) {
                        return v.length;
                    }
                    if (size < v.length) {
                        return -ErrorCodes.ERANGE();
                    }
                    value.put(0, v, 0, v.length);
                    return v.length;
                }
            }
            throw new ErrnoTable.NoSuchAttributeException(name);
        });
    }

    @Override
    public int listxattr(String path, Pointer list, @size_t long size) {
        statistics.xattr.increment();
        return guard(path, () -> {
            ByteBuffer names = ByteBuffer.allocate(65536);
            for (Xattr x : paths.resolve(path).xattrs()) {
                names.put(NameBytes.encode(x.name())).put((byte) 0);
            }
            int n = names.position();
            if (size == 0) {
                return n;
            }
            if (size < n) {
                return -ErrorCodes.ERANGE();
            }
            list.put(0, names.array(), 0, n);
            return n;
        });
    }

    // --- writing: delegated, so immutable views refuse with EROFS --------------------------------

    @Override
    public int write(String path, Pointer buf, @size_t long size, @off_t long offset, FuseFileInfo fi) {
        statistics.write.increment();
        return guard(path, () -> {
            byte[] data = new byte[(int) size];
            buf.get(0, data, 0, data.length);
            return handles.get(fi.fh.get()).write(offset, data, 0, data.length);
        });
    }

    @Override
    public int create(String path, @mode_t long mode, FuseFileInfo fi) {
        statistics.create.increment();
        return guard(path, () -> {
            OpenFile f = parent(path).create(leaf(path), (int) mode & 07777, caller());
            paths.forget(path);
            ViewNode created;
            long inode;
            try {
                created = paths.resolve(path);
                inode = created.attributes().inode();
            } catch (java.io.IOException | RuntimeException e) {
                f.close();
                throw e;
            }
            fi.fh.set(handles.addWritable(created, f, path, inode));
            return 0;
        });
    }

    @Override
    public int mkdir(String path, @mode_t long mode) {
        statistics.create.increment();
        return guard(path, () -> {
            parent(path).mkdir(leaf(path), (int) mode & 07777, caller());
            paths.forget(path);
            return 0;
        });
    }

    @Override
    public int mknod(String path, @mode_t long mode, @dev_t long rdev) {
        statistics.create.increment();
        return guard(path, () -> {
            parent(path).mknod(leaf(path), (int) mode, rdev, caller());
            paths.forget(path);
            return 0;
        });
    }

    @Override
    public int symlink(String oldpath, String newpath) {
        statistics.create.increment();
        return guard(newpath, () -> {
            parent(newpath).symlink(leaf(newpath), NameBytes.encode(oldpath), caller());
            paths.forget(newpath);
            return 0;
        });
    }

    @Override
    public int link(String oldpath, String newpath) {
        statistics.create.increment();
        return guard(newpath, () -> {
            parent(newpath).link(leaf(newpath), paths.resolve(oldpath));
            paths.forget(newpath);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        statistics.remove.increment();
        return guard(path, () -> {
            if (paths.unhide(path)) {
                return 0; // libfuse removing the hidden name of a file it hid: its last handle closed
            }
            parent(path).remove(leaf(path), false);
            paths.forget(path);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        statistics.remove.increment();
        return guard(path, () -> {
            parent(path).remove(leaf(path), true);
            paths.forgetBelow(path);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath) {
        statistics.remove.increment();
        return guard(oldpath, () -> {
            if (isHiding(newpath)) {
                hide(oldpath, newpath);
                return 0;
            }
            parent(oldpath).rename(leaf(oldpath), parent(newpath), leaf(newpath));
            // A folder moved takes its paths along; a folder replaced loses them.
            paths.forgetBelow(oldpath);
            paths.forgetBelow(newpath);
            return 0;
        });
    }

    /**
     * Whether a rename is libfuse hiding an open file instead of a rename asked for: libfuse renames a
     * file unlinked while open (or about to be renamed over) to {@code .fuse_hidden…} and keeps it
     * reachable by that name until its last close. Such a rename comes inside an unlink request, or
     * inside a rename request whose own target is another name.
     */
    private static boolean isHiding(String newpath) {
        String name = leaf(newpath);
        if (!name.startsWith(".fuse_hidden")) {
            return false;
        }
        FuseRequest r = FuseRequest.current();
        boolean renaming = r.opcode() == FuseRequest.RENAME || r.opcode() == FuseRequest.RENAME2;
        return r.opcode() == FuseRequest.UNLINK || (renaming && !name.equals(r.renameTarget()));
    }

    /**
     * Hides the open file at {@code path} under {@code hiddenPath}. An unlink removes its name from the
     * view now (the view keeps the file until its last close); a rename over it is about to replace it
     * in one step, so its name stays until then. Either way the file stays reachable by the hidden name.
     */
    private void hide(String path, String hiddenPath) throws java.io.IOException {
        ViewNode node = paths.resolve(path);
        if (FuseRequest.current().opcode() == FuseRequest.UNLINK) {
            parent(path).remove(leaf(path), false);
        }
        paths.hide(hiddenPath, node);
        paths.forget(path);
    }

    @Override
    public int chmod(String path, @mode_t long mode) {
        statistics.setattr.increment();
        return guard(path, () -> {
            paths.resolve(path).setMode((int) mode & 07777);
            return 0;
        });
    }

    @Override
    public int chown(String path, @uid_t long uid, @gid_t long gid) {
        statistics.setattr.increment();
        return guard(path, () -> {
            // (uid_t) -1 leaves the owner as it is, and (gid_t) -1 the group.
            paths.resolve(path).setOwner(unchangedIfMinusOne(uid), unchangedIfMinusOne(gid));
            return 0;
        });
    }

    private static long unchangedIfMinusOne(long id) {
        return id == -1 || id == 0xFFFF_FFFFL ? -1 : id;
    }

    @Override
    public int truncate(String path, @off_t long size) {
        statistics.setattr.increment();
        return guard(path, () -> {
            paths.resolve(path).truncate(size);
            return 0;
        });
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        statistics.setattr.increment();
        return guard(path, () -> {
            paths.resolve(path).setTimes(ts(timespec[0]), ts(timespec[1]));
            return 0;
        });
    }

    /** setxattr(2)'s flags: fail if the attribute exists, or if it does not. */
    static final int XATTR_CREATE = 1;
    static final int XATTR_REPLACE = 2;

    @Override
    public int setxattr(String path, String name, Pointer value, @size_t long size, int flags) {
        statistics.setattr.increment();
        return guard(path, () -> {
            byte[] v = new byte[(int) size];
            value.get(0, v, 0, v.length);
            ViewNode node = paths.resolve(path);
            if ((flags & (XATTR_CREATE | XATTR_REPLACE)) != 0) {
                boolean exists = node.xattrs().stream().anyMatch(x -> x.name().equals(name));
                if (exists && (flags & XATTR_CREATE) != 0) {
                    throw new java.nio.file.FileAlreadyExistsException(path, null, "attribute " + name);
                }
                if (!exists && (flags & XATTR_REPLACE) != 0) {
                    throw new ErrnoTable.NoSuchAttributeException(name);
                }
            }
            node.setXattr(name, v);
            return 0;
        });
    }

    @Override
    public int removexattr(String path, String name) {
        statistics.setattr.increment();
        return guard(path, () -> {
            paths.resolve(path).removeXattr(name);
            return 0;
        });
    }

    @Override
    public void destroy(Pointer initResult) {
        handles.closeAll();
    }

    private ViewNode parent(String path) throws java.io.IOException {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            throw new NoSuchFileException(path);
        }
        return paths.resolve(slash == 0 ? "/" : path.substring(0, slash));
    }

    /** The process asking, as libfuse saw it: the owner of what it creates. */
    private Caller caller() {
        ru.serce.jnrfuse.struct.FuseContext c = getContext();
        return new Caller(c.uid.get(), c.gid.get());
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** utimensat(2)'s special nanoseconds: the time now, and leave it as it is. */
    static final long UTIME_NOW = (1L << 30) - 1;
    static final long UTIME_OMIT = (1L << 30) - 2;

    /** A time utimensat gave: null to leave the time as it is. */
    private static Timestamp ts(Timespec t) {
        long nanos = t.tv_nsec.longValue();
        if (nanos == UTIME_OMIT) {
            return null;
        }
        if (nanos == UTIME_NOW) {
            return Timestamp.of(java.time.Instant.now());
        }
        return new Timestamp(t.tv_sec.get(), (int) nanos);
    }

    /**
     * The callback table libfuse calls: built by jnr-fuse from the methods implemented here, with the
     * entries that take paths replaced by ones that keep their exact bytes.
     */
    synchronized ru.serce.jnrfuse.struct.FuseOperations operations() {
        if (exactPaths == null) {
            exactPaths = ExactPathCallbacks.install(this, fuseOperations);
        }
        return fuseOperations;
    }

    int openHandles() {
        return handles.size();
    }
}
