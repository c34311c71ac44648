package dev.strata.fuse;

import dev.strata.core.name.NameBytes;
import jnr.ffi.BaseStruct;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.uid_t;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.FuseOperations;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces jnr-fuse's entries in the callback table with ones that read paths (and xattr names,
 * symlink targets) as their exact bytes. jnr-fuse decodes a {@code const char *} with the JVM's
 * default charset, which turns a name that is not UTF-8 into U+FFFD and makes it unreachable;
 * these read the bytes and map them with {@link NameBytes}, then call the same {@link FuseAdapter}
 * methods jnr-fuse would. Built once per mount, before libfuse copies the table; the closures are
 * kept reachable here for as long as the table is in use. Thread-safe after construction.
 */
final class ExactPathCallbacks {
    /** How far to look for a C string's NUL: libfuse builds whole paths, which may pass PATH_MAX. */
    private static final int MAX_STRING = 1 << 20;

    /** Strong references: libfuse holds only the native stubs. */
    private final List<Object> closures = new ArrayList<>();

    private ExactPathCallbacks() {
    }

    /** Installs the exact-path callbacks for every operation {@code adapter} implements. */
    static ExactPathCallbacks install(FuseAdapter fs, FuseOperations ops) {
        ExactPathCallbacks c = new ExactPathCallbacks();
        Runtime runtime = ops.getRuntime();
        c.put(runtime, ops, ops.getattr, GetAttr.class, (GetAttr) (p, st) -> fs.getattr(s(p), stat(st)));
        c.put(runtime, ops, ops.fgetattr, ReadWithInfo.class, (ReadWithInfo) (p, st, fi) ->
                fs.fgetattr(s(p), stat(st), FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.readlink, Readlink.class, (Readlink) (p, buf, size) -> fs.readlink(s(p), buf, size));
        c.put(runtime, ops, ops.readdir, Readdir.class, (Readdir) (p, buf, filler, off, fi) ->
                fs.readdirExact(s(p), buf, filler));
        c.put(runtime, ops, ops.open, WithInfo.class, (WithInfo) (p, fi) -> fs.open(s(p), FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.release, WithInfo.class, (WithInfo) (p, fi) -> fs.release(s(p), FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.fsync, Sync.class, (Sync) (p, datasync, fi) -> fs.fsync(s(p), datasync, FuseFileInfo.of(fi)));
        // libfuse passes fsyncdir a datasync flag that jnr-fuse's own entry leaves out.
        c.put(runtime, ops, ops.fsyncdir, Sync.class, (Sync) (p, datasync, fi) -> fs.fsyncdir(s(p), FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.ftruncate, FTruncate.class, (FTruncate) (p, size, fi) ->
                fs.ftruncate(s(p), size, FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.statfs, WithInfo.class, (WithInfo) (p, st) -> fs.statfs(s(p), Statvfs.of(st)));
        c.put(runtime, ops, ops.read, ReadWrite.class, (ReadWrite) (p, buf, size, off, fi) ->
                fs.read(s(p), buf, size, off, FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.write, ReadWrite.class, (ReadWrite) (p, buf, size, off, fi) ->
                fs.write(s(p), buf, size, off, FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.getxattr, GetXattr.class, (GetXattr) (p, name, value, size) ->
                fs.getxattr(s(p), s(name), value, size));
        c.put(runtime, ops, ops.listxattr, Readlink.class, (Readlink) (p, list, size) -> fs.listxattr(s(p), list, size));
        c.put(runtime, ops, ops.setxattr, SetXattr.class, (SetXattr) (p, name, value, size, flags) ->
                fs.setxattr(s(p), s(name), value, size, flags));
        c.put(runtime, ops, ops.removexattr, TwoPaths.class, (TwoPaths) (p, name) -> fs.removexattr(s(p), s(name)));
        c.put(runtime, ops, ops.create, Create.class, (Create) (p, mode, fi) -> fs.create(s(p), mode, FuseFileInfo.of(fi)));
        c.put(runtime, ops, ops.mkdir, WithMode.class, (WithMode) (p, mode) -> fs.mkdir(s(p), mode));
        c.put(runtime, ops, ops.chmod, WithMode.class, (WithMode) (p, mode) -> fs.chmod(s(p), mode));
        c.put(runtime, ops, ops.mknod, Mknod.class, (Mknod) (p, mode, rdev) -> fs.mknod(s(p), mode, rdev));
        c.put(runtime, ops, ops.chown, Chown.class, (Chown) (p, uid, gid) -> fs.chown(s(p), uid, gid));
        c.put(runtime, ops, ops.truncate, Truncate.class, (Truncate) (p, size) -> fs.truncate(s(p), size));
        c.put(runtime, ops, ops.symlink, TwoPaths.class, (TwoPaths) (target, p) -> fs.symlink(s(target), s(p)));
        c.put(runtime, ops, ops.link, TwoPaths.class, (TwoPaths) (from, to) -> fs.link(s(from), s(to)));
        c.put(runtime, ops, ops.rename, TwoPaths.class, (TwoPaths) (from, to) -> fs.rename(s(from), s(to)));
        c.put(runtime, ops, ops.unlink, OnePath.class, (OnePath) p -> fs.unlink(s(p)));
        c.put(runtime, ops, ops.rmdir, OnePath.class, (OnePath) p -> fs.rmdir(s(p)));
        c.put(runtime, ops, ops.utimens, WithInfo.class, (WithInfo) (p, times) -> {
            Timespec atime = Timespec.of(times);
            Timespec mtime = Timespec.of(times.slice(Struct.size(atime)));
            return fs.utimens(s(p), new Timespec[] {atime, mtime});
        });
        // Unless the table says utimens takes UTIME_NOW and UTIME_OMIT, libfuse drops a change of one
        // time alone (touch -a, touch -m) and passes "now" as a time of the kernel's. Unless it says the
        // calls on an open file take a null path, they fail with ENOENT once the file's name is gone
        // (a file unlinked or renamed over while open must stay readable and writable).
        Pointer table = Struct.getMemory(ops);
        long flags = flagsOffset(ops);
        table.putByte(flags, (byte) (table.getByte(flags) | FLAG_NULLPATH_OK | FLAG_UTIME_OMIT_OK));
        return c;
    }

    /**
     * The flags in the byte holding struct fuse_operations' flag bitfield (nullpath_ok, nopath,
     * utime_omit_ok, from the lowest bit, as GCC lays them out on Linux).
     */
    static final int FLAG_NULLPATH_OK = 1;
    static final int FLAG_UTIME_OMIT_OK = 1 << 2;

    /** Where the flag bitfield lies: right after the {@code bmap} entry (jnr-ffi hides its own members' offsets). */
    static long flagsOffset(FuseOperations ops) {
        return ops.bmap.offset() + ops.getRuntime().addressSize();
    }

    /**
     * A stat buffer of libfuse's as a FileStat: one per request thread, pointed at each call's buffer.
     * jnr-fuse's {@code FileStat.of} builds a struct, an object per member, at every getattr, which
     * libfuse calls most (for the kernel's lookups and getattrs, and after every change it replies to).
     */
    private static final ThreadLocal<FileStat> STATS = ThreadLocal.withInitial(() -> new FileStat(Runtime.getSystemRuntime()));

    static FileStat stat(Pointer buffer) {
        FileStat st = STATS.get();
        st.useMemory(buffer);
        return st;
    }

    /** The string of a C string's bytes ({@link NameBytes}); null stays null (libfuse's nullpath). */
    static String s(Pointer p) {
        if (p == null) {
            return null;
        }
        int length = p.indexOf(0, (byte) 0, MAX_STRING);
        byte[] bytes = new byte[Math.max(length, 0)];
        p.get(0, bytes, 0, bytes.length);
        return NameBytes.decode(bytes);
    }

    /** Points the table entry at {@code closure}, if jnr-fuse registered one there (the adapter implements it). */
    private <T> void put(Runtime runtime, FuseOperations ops, BaseStruct.Func<?> entry, Class<T> type, T closure) {
        Pointer table = Struct.getMemory(ops);
        if (table.getPointer(entry.offset()) == null) {
            return;
        }
        closures.add(closure);
        table.putPointer(entry.offset(), runtime.getClosureManager().getClosurePointer(type, closure));
    }

    // The C signatures, with Pointer where jnr-fuse has String. Public: jnr-ffi implements them in
    // another class loader.

    public interface GetAttr {
        @Delegate
        int call(Pointer path, Pointer stat);
    }

    public interface WithInfo {
        @Delegate
        int call(Pointer path, Pointer info);
    }

    public interface ReadWithInfo {
        @Delegate
        int call(Pointer path, Pointer stat, Pointer info);
    }

    public interface Readlink {
        @Delegate
        int call(Pointer path, Pointer buf, @size_t long size);
    }

    public interface Readdir {
        @Delegate
        int call(Pointer path, Pointer buf, Pointer filler, @off_t long offset, Pointer info);
    }

    public interface ReadWrite {
        @Delegate
        int call(Pointer path, Pointer buf, @size_t long size, @off_t long offset, Pointer info);
    }

    public interface GetXattr {
        @Delegate
        int call(Pointer path, Pointer name, Pointer value, @size_t long size);
    }

    public interface SetXattr {
        @Delegate
        int call(Pointer path, Pointer name, Pointer value, @size_t long size, int flags);
    }

    public interface Create {
        @Delegate
        int call(Pointer path, @mode_t long mode, Pointer info);
    }

    public interface WithMode {
        @Delegate
        int call(Pointer path, @mode_t long mode);
    }

    public interface Mknod {
        @Delegate
        int call(Pointer path, @mode_t long mode, @dev_t long rdev);
    }

    public interface Chown {
        @Delegate
        int call(Pointer path, @uid_t long uid, @gid_t long gid);
    }

    public interface Truncate {
        @Delegate
        int call(Pointer path, @off_t long size);
    }

    public interface TwoPaths {
        @Delegate
        int call(Pointer first, Pointer second);
    }

    public interface Sync {
        @Delegate
        int call(Pointer path, int datasync, Pointer info);
    }

    public interface FTruncate {
        @Delegate
        int call(Pointer path, @off_t long size, Pointer info);
    }

    public interface OnePath {
        @Delegate
        int call(Pointer path);
    }
}
