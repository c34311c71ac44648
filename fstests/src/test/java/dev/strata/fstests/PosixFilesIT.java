package dev.strata.fstests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

import static dev.strata.fstests.Errno.EACCES;
import static dev.strata.fstests.Errno.EBADF;
import static dev.strata.fstests.Errno.EEXIST;
import static dev.strata.fstests.Errno.EINVAL;
import static dev.strata.fstests.Errno.EISDIR;
import static dev.strata.fstests.Errno.ELOOP;
import static dev.strata.fstests.Errno.ENAMETOOLONG;
import static dev.strata.fstests.Errno.ENOENT;
import static dev.strata.fstests.Errno.ENOTDIR;
import static dev.strata.fstests.Scene.NOBODY;

/**
 * POSIX conformance of the live volume, file contents: open and its flags, read and write at any
 * offset, truncate, ftruncate, fsync, fdatasync, fsyncdir, statfs, files over 4 GiB with holes, and
 * shared writable mmap.
 */
class PosixFilesIT extends TwinSuite {
    private static final long GIB = 1L << 30;

    // --- open -----------------------------------------------------------------------------------

    @Test
    void open_create_makesAnEmptyFile(TestInfo t) throws Exception {
        twin(t, s -> {
            Libc.Stat parent = s.lstat("");
            s.tick();
            int fd = s.okFd("open O_CREAT", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_WRONLY, 0640));
            s.ok("close", s.c.close(fd));
            Libc.Stat f = s.shows("f");
            s.note("times alike", f.atime() == f.mtime() && f.mtime() == f.ctime());
            s.note("parent mtime moved", s.lstat("").mtime() > parent.mtime());
            s.file("g", "kept");
            Libc.Stat before = s.lstat("g");
            s.tick();
            fd = s.okFd("open O_CREAT an existing file", s.c.open(s.p("g"), Libc.O_CREAT | Libc.O_RDWR, 0600));
            s.ok("close", s.c.close(fd));
            s.note("content", s.read("g"));
            Libc.Stat after = s.shows("g");
            s.note("times kept", after.mtime() == before.mtime() && after.ctime() == before.ctime());
            fd = s.okFd("open O_CREAT with mode 0, for writing", s.c.open(s.p("zero"), Libc.O_CREAT | Libc.O_RDWR, 0));
            s.expect("write to a mode-0 file through its creating handle", 3L, s.c.write(fd, bytes("abc"), 3));
            s.ok("close", s.c.close(fd));
            s.shows("zero");
            s.note("content", s.read("zero"));
            fd = s.okFd("open " + NAME_255.length() + "-byte name", s.c.open(s.p(NAME_255), Libc.O_CREAT | Libc.O_WRONLY, 0644));
            s.ok("close", s.c.close(fd));
        });
    }

    @Test
    void open_exclusive(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("O_CREAT|O_EXCL new", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
            s.ok("close", s.c.close(fd));
            s.fails(EEXIST, "O_CREAT|O_EXCL on a file", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
            s.dir("d");
            s.fails(EEXIST, "O_CREAT|O_EXCL on a folder", s.c.open(s.p("d"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_RDONLY, 0644));
            s.ok("dangling symlink", s.c.symlink(Libc.bytes("nowhere"), s.p("l")));
            s.fails(EEXIST, "O_CREAT|O_EXCL on a dangling symlink", s.c.open(s.p("l"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
            s.exists("nowhere");
        });
    }

    @Test
    void open_truncate(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "some content");
            Libc.Stat before = s.lstat("f");
            s.tick();
            int fd = s.okFd("O_TRUNC", s.c.open(s.p("f"), Libc.O_TRUNC | Libc.O_WRONLY, 0));
            s.ok("close", s.c.close(fd));
            Libc.Stat after = s.shows("f");
            s.note("mtime moved", after.mtime() > before.mtime());
            s.note("ctime moved", after.ctime() > before.ctime());
            s.note("content", s.read("f"));
            s.tick();
            fd = s.okFd("O_TRUNC of an empty file", s.c.open(s.p("f"), Libc.O_TRUNC | Libc.O_RDWR, 0));
            s.ok("close", s.c.close(fd));
            s.note("mtime moved", s.lstat("f").mtime() > after.mtime());
            s.file("g", "content");
            fd = s.okFd("O_TRUNC read-only", s.c.open(s.p("g"), Libc.O_TRUNC | Libc.O_RDONLY, 0));
            s.ok("close", s.c.close(fd));
            s.shows("g");
        });
    }

    @Test
    void open_append_writesAtTheEnd(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "start");
            int fd = s.okFd("O_APPEND", s.c.open(s.p("f"), Libc.O_APPEND | Libc.O_RDWR, 0));
            s.expect("lseek to 0", 0L, s.c.lseek(fd, 0, Libc.SEEK_SET));
            s.expect("write", 4L, s.c.write(fd, bytes(" one"), 4));
            s.expect("offset after", 9L, s.c.lseek(fd, 0, 1));
            s.expect("pwrite at 0 appends too (Linux)", 4L, s.c.pwrite(fd, bytes(" two"), 4, 0));
            s.note("content by the same handle", s.readFd(fd));
            s.ok("close", s.c.close(fd));
            int other = s.okFd("second O_APPEND handle", s.c.open(s.p("f"), Libc.O_APPEND | Libc.O_WRONLY, 0));
            s.expect("write", 6L, s.c.write(other, bytes(" three"), 6));
            s.ok("close", s.c.close(other));
            s.note("content", s.read("f"));
        });
    }

    @Test
    void open_ofFoldersAndSymlinks(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            s.file("f", "x");
            s.ok("symlink", s.c.symlink(Libc.bytes("f"), s.p("l")));
            int fd = s.okFd("open a folder read-only", s.c.open(s.p("d"), Libc.O_RDONLY, 0));
            s.fails(Errno.EISDIR, "read a folder", s.c.read(fd, new byte[8], 8));
            s.ok("fsync a folder (fsyncdir)", s.c.fsync(fd));
            s.ok("close", s.c.close(fd));
            fd = s.okFd("open a folder O_DIRECTORY", s.c.open(s.p("d"), Libc.O_RDONLY | Libc.O_DIRECTORY, 0));
            s.ok("close", s.c.close(fd));
            s.fails(EISDIR, "open a folder for writing", s.c.open(s.p("d"), Libc.O_WRONLY, 0));
            s.fails(EISDIR, "open a folder read-write", s.c.open(s.p("d"), Libc.O_RDWR, 0));
            s.fails(EISDIR, "open a folder O_CREAT", s.c.open(s.p("d"), Libc.O_CREAT | Libc.O_WRONLY, 0644));
            s.fails(ENOTDIR, "open a file O_DIRECTORY", s.c.open(s.p("f"), Libc.O_RDONLY | Libc.O_DIRECTORY, 0));
            s.fails(ELOOP, "open a symlink O_NOFOLLOW", s.c.open(s.p("l"), Libc.O_RDONLY | Libc.O_NOFOLLOW, 0));
            fd = s.okFd("open through a symlink", s.c.open(s.p("l"), Libc.O_RDONLY, 0));
            s.note("content", s.readFd(fd));
            s.ok("close", s.c.close(fd));
        });
    }

    @Test
    void open_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.dir("d");
            s.fails(ENOENT, "open a missing file", s.c.open(s.p("missing"), Libc.O_RDONLY, 0));
            s.fails(ENOENT, "create in a missing folder", s.c.open(s.p("missing/f"), Libc.O_CREAT | Libc.O_WRONLY, 0644));
            s.fails(ENOTDIR, "open below a file", s.c.open(s.p("f/x"), Libc.O_RDONLY, 0));
            s.fails(ENAMETOOLONG, "create a 256-byte name", s.c.open(s.p(NAME_256), Libc.O_CREAT | Libc.O_WRONLY, 0644));
            s.fails(ENAMETOOLONG, "open a 256-byte name", s.c.open(s.p(NAME_256), Libc.O_RDONLY, 0));
            s.file("secret", "x");
            s.ok("chmod secret 0600", s.c.chmod(s.p("secret"), 0600));
            s.file("readonly", "x");
            s.ok("chmod readonly 0444", s.c.chmod(s.p("readonly"), 0444));
            s.as(NOBODY, NOBODY, () -> {
                s.fails(EACCES, "read root's 0600 file", s.c.open(s.p("secret"), Libc.O_RDONLY, 0));
                s.fails(EACCES, "write a 0444 file", s.c.open(s.p("readonly"), Libc.O_WRONLY, 0));
                s.fails(EACCES, "create in root's 0755 folder", s.c.open(s.p("d/new"), Libc.O_CREAT | Libc.O_WRONLY, 0644));
            });
            int fd = s.okFd("root writes a 0444 file", s.c.open(s.p("readonly"), Libc.O_WRONLY, 0));
            s.ok("close", s.c.close(fd));
            int ro = s.okFd("open read-only", s.c.open(s.p("f"), Libc.O_RDONLY, 0));
            s.fails(EBADF, "write a read-only handle", s.c.write(ro, bytes("x"), 1));
            s.ok("close", s.c.close(ro));
            int wo = s.okFd("open write-only", s.c.open(s.p("f"), Libc.O_WRONLY, 0));
            s.fails(EBADF, "read a write-only handle", s.c.read(wo, new byte[1], 1));
            s.ok("close", s.c.close(wo));
        });
    }

    // --- read and write -------------------------------------------------------------------------

    @Test
    void writeBeyondTheEnd_leavesZeros_andReadsStopAtTheEnd(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("create", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.expect("pwrite at 10000", 3L, s.c.pwrite(fd, bytes("end"), 3, 10_000));
            s.expect("size", 10_003L, s.fstat(fd).size());
            byte[] buf = new byte[20_000];
            s.expect("pread all", 10_003L, s.c.pread(fd, buf, buf.length, 0));
            s.note("zeros before", allZero(buf, 0, 10_000));
            s.expect("pread at the end", 0L, s.c.pread(fd, buf, 10, 10_003));
            s.expect("pread beyond the end", 0L, s.c.pread(fd, buf, 10, 50_000));
            s.expect("lseek SEEK_END", 10_003L, s.c.lseek(fd, 0, Libc.SEEK_END));
            s.expect("write at the end", 2L, s.c.write(fd, bytes("!!"), 2));
            s.ok("close", s.c.close(fd));
            s.shows("f");
            s.note("sha256", sha256(s, "f"));
        });
    }

    // --- truncate and ftruncate -----------------------------------------------------------------

    @Test
    void truncate_upAndDown(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "0123456789");
            Libc.Stat before = s.lstat("f");
            s.tick();
            s.ok("truncate to 4", s.c.truncate(s.p("f"), 4));
            Libc.Stat after = s.shows("f");
            s.note("mtime moved", after.mtime() > before.mtime());
            s.note("ctime moved", after.ctime() > before.ctime());
            s.note("content", s.read("f"));
            s.ok("truncate to 8", s.c.truncate(s.p("f"), 8));
            s.note("content", s.read("f"));
            s.ok("truncate to 3 MB", s.c.truncate(s.p("f"), 3_000_000));
            s.shows("f");
            s.note("sha256", sha256(s, "f"));
            s.ok("truncate to 0", s.c.truncate(s.p("f"), 0));
            s.shows("f");
            s.ok("symlink", s.c.symlink(Libc.bytes("g"), s.p("l")));
            s.file("g", "through a symlink");
            s.ok("truncate through a symlink", s.c.truncate(s.p("l"), 7));
            s.note("g", s.read("g"));
        });
    }

    @Test
    void truncate_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.dir("d");
            s.fails(EISDIR, "truncate a folder", s.c.truncate(s.p("d"), 0));
            s.fails(ENOENT, "truncate a missing file", s.c.truncate(s.p("missing"), 0));
            s.fails(EINVAL, "truncate to a negative size", s.c.truncate(s.p("f"), -1));
            s.fails(ENOTDIR, "truncate below a file", s.c.truncate(s.p("f/x"), 0));
            s.as(NOBODY, NOBODY, () -> s.fails(EACCES, "truncate root's 0644 file", s.c.truncate(s.p("f"), 0)));
        });
    }

    @Test
    void truncate_ofAnOpenFile_showsThroughItsHandles(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "0123456789");
            int fd = s.okFd("open", s.c.open(s.p("f"), Libc.O_RDWR, 0));
            s.ok("truncate by name", s.c.truncate(s.p("f"), 5));
            s.expect("size by the handle", 5L, s.fstat(fd).size());
            s.note("read by the handle", s.readFd(fd));
            s.expect("write by the handle", 2L, s.c.pwrite(fd, bytes("ab"), 2, 7));
            s.ok("close", s.c.close(fd));
            byte[] all = new byte[16];
            int r = s.okFd("open", s.c.open(s.p("f"), Libc.O_RDONLY, 0));
            s.expect("size", 9L, s.c.pread(r, all, 16, 0));
            s.note("bytes", java.util.Arrays.toString(java.util.Arrays.copyOf(all, 9)));
            s.ok("close", s.c.close(r));
        });
    }

    @Test
    void ftruncate_upAndDown(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("create", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.expect("write", 10L, s.c.write(fd, bytes("0123456789"), 10));
            Libc.Stat before = s.fstat(fd);
            s.tick();
            s.ok("ftruncate to 3", s.c.ftruncate(fd, 3));
            Libc.Stat after = s.showsFd("f by its handle", fd);
            s.note("mtime moved", after.mtime() > before.mtime());
            s.note("content", s.readFd(fd));
            s.ok("ftruncate to 6", s.c.ftruncate(fd, 6));
            byte[] buf = new byte[8];
            s.expect("pread", 6L, s.c.pread(fd, buf, 8, 0));
            s.note("bytes", java.util.Arrays.toString(java.util.Arrays.copyOf(buf, 6)));
            s.fails(EINVAL, "ftruncate to a negative size", s.c.ftruncate(fd, -5));
            s.ok("chmod 0444", s.c.chmod(s.p("f"), 0444));
            s.ok("ftruncate after a chmod (checked at open)", s.c.ftruncate(fd, 1));
            s.ok("close", s.c.close(fd));
            s.shows("f");
            int ro = s.okFd("open read-only", s.c.open(s.p("f"), Libc.O_RDONLY, 0));
            s.fails(EINVAL, "ftruncate a read-only handle", s.c.ftruncate(ro, 0));
            s.ok("close", s.c.close(ro));
            int gone = s.okFd("open", s.c.open(s.p("f"), Libc.O_RDWR, 0));
            s.ok("unlink", s.c.unlink(s.p("f")));
            s.ok("ftruncate an unlinked file", s.c.ftruncate(gone, 100));
            s.expect("its size", 100L, s.fstat(gone).size());
            s.ok("close", s.c.close(gone));
        });
    }

    // --- durability calls, statfs ---------------------------------------------------------------

    @Test
    void fsync_fdatasync_andFsyncdir(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            int fd = s.okFd("create", s.c.open(s.p("d/f"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.expect("write", 5L, s.c.write(fd, bytes("hello"), 5));
            s.ok("fsync", s.c.fsync(fd));
            s.expect("write", 5L, s.c.write(fd, bytes(" more"), 5));
            s.ok("fdatasync", s.c.fdatasync(fd));
            s.ok("fsync with nothing new", s.c.fsync(fd));
            s.ok("close", s.c.close(fd));
            int ro = s.okFd("open read-only", s.c.open(s.p("d/f"), Libc.O_RDONLY, 0));
            s.ok("fsync a read-only handle", s.c.fsync(ro));
            s.ok("close", s.c.close(ro));
            int dir = s.okFd("open the folder", s.c.open(s.p("d"), Libc.O_RDONLY | Libc.O_DIRECTORY, 0));
            s.ok("fsyncdir", s.c.fsync(dir));
            s.ok("fdatasync of a folder", s.c.fdatasync(dir));
            s.ok("close", s.c.close(dir));
            s.note("content", s.read("d/f"));
        });
    }

    @Test
    void statfs_describesTheFilesystem(TestInfo t) throws Exception {
        twin(t, s -> {
            Libc.FsStat fs = Libc.statfs(s.p(""));
            s.expect("statfs", true, fs != null);
            s.expect("longest name", 255L, fs.namelen());
            s.note("block size positive", fs.bsize() > 0 && fs.frsize() > 0);
            s.note("blocks consistent", fs.blocks() > 0 && fs.bfree() <= fs.blocks() && fs.bavail() <= fs.bfree());
            s.note("files consistent", fs.files() > 0 && fs.ffree() <= fs.files());
        });
    }

    // --- large and sparse files -----------------------------------------------------------------

    @Test
    void aSparseFileOver4GiB_readsBackAndStaysSparse(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("create", s.c.open(s.p("big"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.ok("ftruncate to 5 GiB", s.c.ftruncate(fd, 5 * GIB));
            s.expect("write at 0", 4L, s.c.pwrite(fd, bytes("head"), 4, 0));
            s.expect("write across 4 GiB", 8L, s.c.pwrite(fd, bytes("boundary"), 8, 4 * GIB - 4));
            s.expect("write at the end", 4L, s.c.pwrite(fd, bytes("tail"), 4, 5 * GIB - 4));
            s.ok("fsync", s.c.fsync(fd));
            s.ok("close", s.c.close(fd));
            for (String when : new String[]{"written", "reopened"}) {
                int r = s.okFd("open " + when, s.c.open(s.p("big"), Libc.O_RDONLY, 0));
                s.note(when + ": size", s.fstat(r).size());
                s.note(when + ": at 0", readAt(s, r, 0, 4));
                s.note(when + ": across 4 GiB", readAt(s, r, 4 * GIB - 4, 8));
                s.note(when + ": at the end", readAt(s, r, 5 * GIB - 4, 4));
                byte[] hole = new byte[1 << 20];
                s.expect(when + ": 1 MiB inside the hole", (long) hole.length, s.c.pread(r, hole, hole.length, 2 * GIB));
                s.note(when + ": all zeros", allZero(hole, 0, hole.length));
                s.ok("close", s.c.close(r));
            }
            s.note("stays sparse", s.lstat("big").blocks() * 512 < 8L << 20);
        });
    }

    // --- mmap -----------------------------------------------------------------------------------

    @Test
    void aSharedWritableMapping_writesTheFile(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("create", s.c.open(s.p("m"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.ok("ftruncate to 256 KiB", s.c.ftruncate(fd, 256 << 10));
            s.expect("write", 5L, s.c.pwrite(fd, bytes("first"), 5, 0));
            s.ok("close", s.c.close(fd));
            try (FileChannel ch = FileChannel.open(s.path("m"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 256 << 10);
                s.note("mapping sees what write wrote", (char) map.get(0) + "" + (char) map.get(4));
                map.put(100, (byte) 'A');
                map.put(70_000, (byte) 'B');
                map.put((256 << 10) - 1, (byte) 'C');
                map.force();
                int r = s.okFd("open while mapped", s.c.open(s.p("m"), Libc.O_RDONLY, 0));
                s.note("read sees the mapping's bytes", readAt(s, r, 100, 1) + readAt(s, r, 70_000, 1) + readAt(s, r, (256 << 10) - 1, 1));
                s.ok("close", s.c.close(r));
                unmap(map);
            }
            s.note("after unmapping", s.read("m").replace("\0", "").trim());
            s.shows("m");
        });
    }

    static void unmap(MappedByteBuffer map) throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        unsafe.getClass().getMethod("invokeCleaner", ByteBuffer.class).invoke(unsafe, map);
    }

    private static String readAt(Scene s, int fd, long at, int n) {
        byte[] b = new byte[n];
        s.expect("pread " + n + " at " + at, (long) n, s.c.pread(fd, b, n, at));
        return new String(b, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(Scene s, String rel) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        int fd = s.okFd("open " + rel, s.c.open(s.p(rel), Libc.O_RDONLY, 0));
        byte[] buf = new byte[1 << 16];
        long at = 0;
        long n;
        while ((n = s.c.pread(fd, buf, buf.length, at)) > 0) {
            md.update(buf, 0, (int) n);
            at += n;
        }
        s.c.close(fd);
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
