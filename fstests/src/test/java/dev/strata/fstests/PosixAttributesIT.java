package dev.strata.fstests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeSet;

import static dev.strata.fstests.Errno.EACCES;
import static dev.strata.fstests.Errno.EEXIST;
import static dev.strata.fstests.Errno.EINVAL;
import static dev.strata.fstests.Errno.ELOOP;
import static dev.strata.fstests.Errno.ENAMETOOLONG;
import static dev.strata.fstests.Errno.ENODATA;
import static dev.strata.fstests.Errno.ENOENT;
import static dev.strata.fstests.Errno.ENOTDIR;
import static dev.strata.fstests.Errno.EPERM;
import static dev.strata.fstests.Errno.ERANGE;
import static dev.strata.fstests.Scene.NOBODY;
import static dev.strata.fstests.Scene.OTHER;

/** POSIX conformance of the live volume, attributes: chmod, chown, utimensat, extended attributes. */
class PosixAttributesIT extends TwinSuite {

    // --- chmod ----------------------------------------------------------------------------------

    @Test
    void chmod_changesTheModeAndCtimeNotMtime(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.dir("d");
            for (int mode : new int[]{0600, 0, 07777, 04755, 02711, 01777, 0644}) {
                Libc.Stat before = s.lstat("f");
                s.tick();
                s.ok("chmod f " + Integer.toOctalString(mode), s.c.chmod(s.p("f"), mode));
                Libc.Stat after = s.shows("f");
                s.expect("mode of f", mode, after.mode());
                s.note("ctime of f moved", after.ctime() > before.ctime());
                s.note("mtime of f kept", after.mtime() == before.mtime());
                s.ok("chmod d " + Integer.toOctalString(mode), s.c.chmod(s.p("d"), mode));
                s.shows("d");
            }
        });
    }

    @Test
    void chmod_throughASymlink_changesTheTarget(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("symlink", s.c.symlink(Libc.bytes("f"), s.p("l")));
            s.ok("chmod l", s.c.chmod(s.p("l"), 0601));
            s.shows("f");
            s.shows("l");
        });
    }

    @Test
    void chmod_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.fails(ENOENT, "chmod missing", s.c.chmod(s.p("missing"), 0644));
            s.fails(ENOENT, "chmod missing/x", s.c.chmod(s.p("missing/x"), 0644));
            s.fails(ENOTDIR, "chmod f/x", s.c.chmod(s.p("f/x"), 0644));
            s.fails(ENAMETOOLONG, "chmod 256-byte name", s.c.chmod(s.p(NAME_256), 0644));
            s.ok("symlink loop", s.c.symlink(Libc.bytes("loop"), s.p("loop")));
            s.fails(ELOOP, "chmod loop", s.c.chmod(s.p("loop"), 0644));
        });
    }

    @Test
    void chmod_byWhoIsNotTheOwner_isRefused_andTheOwnerLosesSetgidOfAGroupNotTheirs(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.file("mine", "x");
            s.ok("chown mine", s.c.chown(s.p("mine"), NOBODY, 0));
            s.as(NOBODY, NOBODY, () -> {
                s.fails(EPERM, "chmod f as nobody", s.c.chmod(s.p("f"), 0777));
                s.ok("chmod mine 02755 as nobody", s.c.chmod(s.p("mine"), 02755));
                s.ok("chmod mine 01700 as nobody", s.c.chmod(s.p("mine"), 01700));
            });
            s.shows("f");
            s.shows("mine");
        });
    }

    @Test
    void fchmod_onAnOpenFile(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("create f", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.ok("fchmod 0400", s.c.fchmod(fd, 0400));
            s.showsFd("f by descriptor", fd);
            s.expect("write after fchmod", 3L, s.c.write(fd, "abc".getBytes(), 3));
            s.ok("close", s.c.close(fd));
            s.shows("f");
        });
    }

    // --- chown ----------------------------------------------------------------------------------

    @Test
    void chown_asRoot_setsOwnerAndGroup_andMinusOneKeepsThem(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.dir("d");
            Libc.Stat before = s.lstat("f");
            s.tick();
            s.ok("chown f", s.c.chown(s.p("f"), NOBODY, OTHER));
            Libc.Stat after = s.shows("f");
            s.note("ctime of f moved", after.ctime() > before.ctime());
            s.ok("chown f -1 -1", s.c.chown(s.p("f"), -1, -1));
            s.shows("f");
            s.ok("chown f uid only", s.c.chown(s.p("f"), OTHER, -1));
            s.shows("f");
            s.ok("chown f gid only", s.c.chown(s.p("f"), -1, NOBODY));
            s.shows("f");
            s.ok("chown d", s.c.chown(s.p("d"), OTHER, OTHER));
            s.shows("d");
            s.fails(ENOENT, "chown missing", s.c.chown(s.p("missing"), 1, 1));
        });
    }

    @Test
    void chown_andLchown_ofASymlink(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("symlink", s.c.symlink(Libc.bytes("f"), s.p("l")));
            s.ok("chown l (the target)", s.c.chown(s.p("l"), NOBODY, NOBODY));
            s.shows("f");
            s.shows("l");
            s.ok("lchown l (the link)", s.c.lchown(s.p("l"), OTHER, OTHER));
            s.shows("f");
            s.shows("l");
        });
    }

    @Test
    void chown_byWhoIsNotRoot(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.file("mine", "x");
            s.ok("chown mine", s.c.chown(s.p("mine"), NOBODY, 0));
            s.as(NOBODY, NOBODY, () -> {
                s.fails(EPERM, "chown f to nobody as nobody", s.c.chown(s.p("f"), NOBODY, -1));
                s.fails(EPERM, "chown mine to another user", s.c.chown(s.p("mine"), OTHER, -1));
                s.fails(EPERM, "chgrp mine to a group nobody is not in", s.c.chown(s.p("mine"), -1, OTHER));
                s.ok("chgrp mine to nobody's group", s.c.chown(s.p("mine"), -1, NOBODY));
            });
            s.shows("f");
            s.shows("mine");
        });
    }

    @Test
    void chown_clearsSetuidAndSetgidOfAFile(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("chmod 06755", s.c.chmod(s.p("f"), 06755));
            s.ok("chown f", s.c.chown(s.p("f"), NOBODY, NOBODY));
            s.shows("f");
            s.dir("d");
            s.ok("chmod d 06755", s.c.chmod(s.p("d"), 06755));
            s.ok("chown d", s.c.chown(s.p("d"), NOBODY, NOBODY));
            s.shows("d");
        });
    }

    // --- utimensat ------------------------------------------------------------------------------

    @Test
    void utimensat_setsNanoseconds(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            Libc.Stat before = s.lstat("f");
            s.tick();
            s.ok("utimensat", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(1_000_000_000L, 123_456_789, 1_500_000_000L, 987_654_321), 0));
            Libc.Stat after = s.shows("f");
            s.expect("atime", 1_000_000_000_123_456_789L, after.atime());
            s.expect("mtime", 1_500_000_000_987_654_321L, after.mtime());
            s.note("ctime moved", after.ctime() > before.ctime());
            s.ok("utimensat before 1970", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(-1, 0, -86_400, 5), 0));
            after = s.lstat("f");
            s.expect("atime", -1_000_000_000L, after.atime());
            s.expect("mtime", -86_400_000_000_000L + 5, after.mtime());
        });
    }

    @Test
    void utimensat_nowAndOmit(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("set both", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(1000, 1, 2000, 2), 0));
            long wallBefore = nowNanos();
            s.ok("atime now, mtime omitted", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(0, Libc.UTIME_NOW, 0, Libc.UTIME_OMIT), 0));
            long wallAfter = nowNanos();
            Libc.Stat st = s.lstat("f");
            s.note("atime is now", near(st.atime(), wallBefore, wallAfter));
            s.expect("mtime kept", 2000_000_000_002L, st.mtime());
            s.ok("atime omitted, mtime now", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(0, Libc.UTIME_OMIT, 0, Libc.UTIME_NOW), 0));
            st = s.lstat("f");
            s.note("atime kept", st.atime() >= wallBefore - 20_000_000 && st.atime() <= wallAfter + 20_000_000);
            s.note("mtime is now", near(st.mtime(), wallBefore, nowNanos()));
            s.ok("set both", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(1000, 1, 2000, 2), 0));
            Libc.Stat before = s.lstat("f");
            s.tick();
            s.ok("both omitted", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(0, Libc.UTIME_OMIT, 0, Libc.UTIME_OMIT), 0));
            Libc.Stat after = s.lstat("f");
            s.note("times kept", after.atime() == before.atime() && after.mtime() == before.mtime());
            s.note("ctime kept", after.ctime() == before.ctime());
            long b = nowNanos();
            s.ok("no times: both now", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), null, 0));
            st = s.lstat("f");
            s.note("both now", near(st.atime(), b, nowNanos()) && near(st.mtime(), b, nowNanos()));
            s.fails(EINVAL, "nanoseconds out of range", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(1, 1_000_000_000L, 1, 0), 0));
            s.fails(ENOENT, "utimensat missing", s.c.utimensat(Libc.AT_FDCWD, s.p("missing"), null, 0));
        });
    }

    @Test
    void utimensat_ofASymlinkItself(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("utimensat f", s.c.utimensat(Libc.AT_FDCWD, s.p("f"), Libc.times(100, 0, 100, 0), 0));
            s.ok("symlink", s.c.symlink(Libc.bytes("f"), s.p("l")));
            s.ok("utimensat l nofollow", s.c.utimensat(Libc.AT_FDCWD, s.p("l"), Libc.times(7, 7, 8, 8), Libc.AT_SYMLINK_NOFOLLOW));
            s.expect("link mtime", 8_000_000_008L, s.lstat("l").mtime());
            s.expect("target mtime", 100_000_000_000L, s.lstat("f").mtime());
            s.ok("utimensat l following", s.c.utimensat(Libc.AT_FDCWD, s.p("l"), Libc.times(9, 9, 9, 9), 0));
            s.expect("target mtime", 9_000_000_009L, s.lstat("f").mtime());
        });
    }

    @Test
    void utimensat_byWhoIsNotTheOwner(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("ro", "x");
            s.file("rw", "x");
            s.ok("chmod rw 0666", s.c.chmod(s.p("rw"), 0666));
            s.as(NOBODY, NOBODY, () -> {
                s.fails(EPERM, "explicit times on rw", s.c.utimensat(Libc.AT_FDCWD, s.p("rw"), Libc.times(1, 0, 1, 0), 0));
                s.ok("now on a file nobody may write", s.c.utimensat(Libc.AT_FDCWD, s.p("rw"), null, 0));
                s.fails(EACCES, "now on a file nobody may not write", s.c.utimensat(Libc.AT_FDCWD, s.p("ro"), null, 0));
            });
        });
    }

    @Test
    void futimens_onAnOpenFile(TestInfo t) throws Exception {
        twin(t, s -> {
            int fd = s.okFd("create f", s.c.open(s.p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644));
            s.expect("write", 2L, s.c.write(fd, "ab".getBytes(), 2));
            s.ok("futimens", s.c.futimens(fd, Libc.times(3, 33, 4, 44)));
            s.expect("mtime by descriptor", 4_000_000_044L, s.fstat(fd).mtime());
            s.ok("close", s.c.close(fd));
            s.expect("mtime after close", 4_000_000_044L, s.lstat("f").mtime());
            s.expect("atime after close", 3_000_000_033L, s.lstat("f").atime());
        });
    }

    // --- extended attributes --------------------------------------------------------------------

    @Test
    void xattrs_setGetListRemove(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.dir("d");
            for (String target : new String[]{"f", "d"}) {
                Libc.Stat before = s.lstat(target);
                s.tick();
                s.ok("set user.a on " + target, s.c.lsetxattr(s.p(target), Libc.bytes("user.a"), bytes("1"), 1, 0));
                s.note("ctime moved", s.lstat(target).ctime() > before.ctime());
                s.ok("set user.b", s.c.lsetxattr(s.p(target), Libc.bytes("user.b"), bytes("two"), 3, 0));
                s.ok("set user.empty", s.c.lsetxattr(s.p(target), Libc.bytes("user.empty"), new byte[0], 0, 0));
                s.note("names", names(s, target));
                s.note("user.a", get(s, target, "user.a"));
                s.note("user.empty", get(s, target, "user.empty"));
                s.expect("size of user.b", 3L, s.c.lgetxattr(s.p(target), Libc.bytes("user.b"), null, 0));
                s.ok("replace user.b", s.c.lsetxattr(s.p(target), Libc.bytes("user.b"), bytes("three"), 5, 0));
                s.note("user.b", get(s, target, "user.b"));
                s.ok("remove user.a", s.c.lremovexattr(s.p(target), Libc.bytes("user.a")));
                s.fails(ENODATA, "get user.a", s.c.lgetxattr(s.p(target), Libc.bytes("user.a"), new byte[16], 16));
                s.fails(ENODATA, "remove user.a again", s.c.lremovexattr(s.p(target), Libc.bytes("user.a")));
                s.note("names", names(s, target));
            }
        });
    }

    @Test
    void xattrs_createAndReplaceFlags(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.fails(ENODATA, "replace a missing one", s.c.lsetxattr(s.p("f"), Libc.bytes("user.a"), bytes("1"), 1, Libc.XATTR_REPLACE));
            s.ok("create", s.c.lsetxattr(s.p("f"), Libc.bytes("user.a"), bytes("1"), 1, Libc.XATTR_CREATE));
            s.fails(EEXIST, "create again", s.c.lsetxattr(s.p("f"), Libc.bytes("user.a"), bytes("2"), 1, Libc.XATTR_CREATE));
            s.ok("replace", s.c.lsetxattr(s.p("f"), Libc.bytes("user.a"), bytes("3"), 1, Libc.XATTR_REPLACE));
            s.note("user.a", get(s, "f", "user.a"));
        });
    }

    @Test
    void xattrs_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("set", s.c.lsetxattr(s.p("f"), Libc.bytes("user.long"), bytes("0123456789"), 10, 0));
            s.fails(ERANGE, "get into a short buffer", s.c.lgetxattr(s.p("f"), Libc.bytes("user.long"), new byte[4], 4));
            s.fails(ERANGE, "list into a short buffer", s.c.llistxattr(s.p("f"), new byte[4], 4));
            s.fails(ENODATA, "get a missing one", s.c.lgetxattr(s.p("f"), Libc.bytes("user.none"), new byte[4], 4));
            s.fails(ENOENT, "get on a missing file", s.c.lgetxattr(s.p("missing"), Libc.bytes("user.a"), new byte[4], 4));
            s.ok("symlink", s.c.symlink(Libc.bytes("f"), s.p("l")));
            s.fails(EPERM, "user.* on a symlink", s.c.lsetxattr(s.p("l"), Libc.bytes("user.a"), bytes("1"), 1, 0));
            s.ok("trusted.* as root", s.c.lsetxattr(s.p("f"), Libc.bytes("trusted.t"), bytes("1"), 1, 0));
            s.note("trusted.t", get(s, "f", "trusted.t"));
            byte[] big = new byte[3000];
            Arrays.fill(big, (byte) 'v');
            s.ok("a 3000-byte value", s.c.lsetxattr(s.p("f"), Libc.bytes("user.big"), big, big.length, 0));
            s.expect("its size", 3000L, s.c.lgetxattr(s.p("f"), Libc.bytes("user.big"), null, 0));
            s.as(NOBODY, NOBODY, () -> {
                s.fails(EACCES, "user.* by who may not write", s.c.lsetxattr(s.p("f"), Libc.bytes("user.n"), bytes("1"), 1, 0));
                s.note("user.long as nobody", get(s, "f", "user.long"));
            });
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String get(Scene s, String rel, String name) {
        byte[] buf = new byte[4096];
        long n = s.ok("get " + name, s.c.lgetxattr(s.p(rel), Libc.bytes(name), buf, buf.length));
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    /** The xattr names of {@code rel}, sorted (filesystems list them in their own order). */
    private static TreeSet<String> names(Scene s, String rel) {
        byte[] buf = new byte[4096];
        long n = s.ok("list " + rel, s.c.llistxattr(s.p(rel), buf, buf.length));
        TreeSet<String> out = new TreeSet<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                String name = new String(buf, start, i - start, StandardCharsets.UTF_8);
                // A security module may label files on one filesystem and not the other.
                if (!name.startsWith("security.")) {
                    out.add(name);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static long nowNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Whether {@code t} lies in {@code [from, to]}, allowing for a coarse kernel clock (a few ms). */
    private static boolean near(long t, long from, long to) {
        return t >= from - 20_000_000 && t <= to + 20_000_000;
    }
}
