package dev.strata.fstests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.charset.StandardCharsets;

import static dev.strata.fstests.Errno.EACCES;
import static dev.strata.fstests.Errno.EEXIST;
import static dev.strata.fstests.Errno.EINVAL;
import static dev.strata.fstests.Errno.EISDIR;
import static dev.strata.fstests.Errno.ENAMETOOLONG;
import static dev.strata.fstests.Errno.ENOENT;
import static dev.strata.fstests.Errno.ENOTDIR;
import static dev.strata.fstests.Errno.ENOTEMPTY;
import static dev.strata.fstests.Errno.EPERM;
import static dev.strata.fstests.Scene.NOBODY;
import static dev.strata.fstests.Scene.OTHER;

/** POSIX conformance of the live volume, names: mkdir, rmdir, unlink, link, symlink, mkfifo, mknod, rename. */
class PosixNamesIT extends TwinSuite {

    // --- mkdir ----------------------------------------------------------------------------------

    @Test
    void mkdir_makesAFolder_andItsParentGainsALink(TestInfo t) throws Exception {
        twin(t, s -> {
            Libc.Stat parent = s.lstat("");
            s.tick();
            s.ok("mkdir d", s.c.mkdir(s.p("d"), 0755));
            Libc.Stat d = s.shows("d");
            s.note("new folder's times alike", d.atime() == d.mtime() && d.mtime() == d.ctime());
            Libc.Stat after = s.shows("");
            s.note("parent mtime moved", after.mtime() > parent.mtime());
            s.note("parent ctime moved", after.ctime() > parent.ctime());
            s.ok("mkdir d/e", s.c.mkdir(s.p("d/e"), 0700));
            s.shows("d");
            s.shows("d/e");
            s.ok("mkdir with 0777 (the umask applies)", s.c.mkdir(s.p("u"), 0777));
            s.shows("u");
            s.ok("mkdir with sticky and setuid bits", s.c.mkdir(s.p("bits"), 07755));
            s.shows("bits");
            s.ok("mkdir " + NAME_255.length() + "-byte name", s.c.mkdir(s.p(NAME_255), 0755));
            s.exists(NAME_255);
        });
    }

    @Test
    void mkdir_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            s.file("f", "x");
            s.ok("dangling symlink", s.c.symlink(Libc.bytes("nowhere"), s.p("l")));
            s.fails(EEXIST, "mkdir over a folder", s.c.mkdir(s.p("d"), 0755));
            s.fails(EEXIST, "mkdir over a file", s.c.mkdir(s.p("f"), 0755));
            s.fails(EEXIST, "mkdir over a dangling symlink", s.c.mkdir(s.p("l"), 0755));
            s.fails(ENOENT, "mkdir in a missing folder", s.c.mkdir(s.p("missing/d"), 0755));
            s.fails(ENOTDIR, "mkdir below a file", s.c.mkdir(s.p("f/d"), 0755));
            s.fails(ENAMETOOLONG, "mkdir 256-byte name", s.c.mkdir(s.p(NAME_256), 0755));
            s.as(NOBODY, NOBODY, () -> s.fails(EACCES, "mkdir in root's 0755 folder", s.c.mkdir(s.p("d/x"), 0755)));
        });
    }

    @Test
    void mkdir_andCreate_inASetgidFolder_takeItsGroup(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("shared");
            s.ok("chown shared", s.c.chown(s.p("shared"), 0, OTHER));
            s.ok("chmod shared 02777", s.c.chmod(s.p("shared"), 02777));
            s.as(NOBODY, NOBODY, () -> {
                s.ok("mkdir shared/sub as nobody", s.c.mkdir(s.p("shared/sub"), 0755));
                int fd = s.okFd("create shared/f as nobody", s.c.open(s.p("shared/f"), Libc.O_CREAT | Libc.O_WRONLY, 0644));
                s.ok("close", s.c.close(fd));
                s.ok("mkfifo shared/p as nobody", s.c.mkfifo(s.p("shared/p"), 0644));
            });
            s.shows("shared/sub");
            s.shows("shared/f");
            s.shows("shared/p");
        });
    }

    // --- rmdir ----------------------------------------------------------------------------------

    @Test
    void rmdir_removesAnEmptyFolder(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            s.dir("d/e");
            Libc.Stat before = s.lstat("d");
            s.tick();
            s.ok("rmdir d/e", s.c.rmdir(s.p("d/e")));
            Libc.Stat after = s.shows("d");
            s.note("parent mtime moved", after.mtime() > before.mtime());
            s.exists("d/e");
            s.ok("rmdir d", s.c.rmdir(s.p("d")));
            s.exists("d");
            s.shows("");
        });
    }

    @Test
    void rmdir_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            s.file("d/f", "x");
            s.file("f", "x");
            s.dir("empty");
            s.ok("symlink to a folder", s.c.symlink(Libc.bytes("empty"), s.p("l")));
            s.fails(ENOTEMPTY, "rmdir a folder with a file", s.c.rmdir(s.p("d")));
            s.fails(ENOTDIR, "rmdir a file", s.c.rmdir(s.p("f")));
            s.fails(ENOTDIR, "rmdir a symlink to a folder", s.c.rmdir(s.p("l")));
            s.fails(ENOENT, "rmdir missing", s.c.rmdir(s.p("missing")));
            s.fails(EINVAL, "rmdir empty/.", s.c.rmdir(s.p("empty/.")));
            s.fails(ENOTEMPTY, "rmdir empty/..", s.c.rmdir(s.p("empty/..")));
            s.dir("d/sub");
            s.as(NOBODY, NOBODY, () -> s.fails(EACCES, "rmdir in root's 0755 folder", s.c.rmdir(s.p("d/sub"))));
            s.dir("sticky");
            s.ok("chmod sticky 01777", s.c.chmod(s.p("sticky"), 01777));
            s.dir("sticky/roots");
            s.as(NOBODY, NOBODY, () -> s.fails(EPERM, "rmdir root's folder in a sticky folder", s.c.rmdir(s.p("sticky/roots"))));
            s.exists("d");
        });
    }

    // --- unlink ---------------------------------------------------------------------------------

    @Test
    void unlink_removesAName(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("link", s.c.link(s.p("f"), s.p("g")));
            Libc.Stat parent = s.lstat("");
            Libc.Stat before = s.lstat("g");
            s.tick();
            s.ok("unlink f", s.c.unlink(s.p("f")));
            s.exists("f");
            s.settle();
            Libc.Stat g = s.shows("g");
            s.note("ctime of the other name moved", g.ctime() > before.ctime());
            s.note("parent mtime moved", s.lstat("").mtime() > parent.mtime());
            s.ok("symlink", s.c.symlink(Libc.bytes("g"), s.p("l")));
            s.ok("unlink the symlink", s.c.unlink(s.p("l")));
            s.exists("g");
            s.ok("mkfifo", s.c.mkfifo(s.p("p"), 0644));
            s.ok("unlink the fifo", s.c.unlink(s.p("p")));
            s.exists("p");
        });
    }

    @Test
    void unlink_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            s.file("f", "x");
            s.fails(EISDIR, "unlink a folder", s.c.unlink(s.p("d")));
            s.fails(ENOENT, "unlink missing", s.c.unlink(s.p("missing")));
            s.fails(ENOTDIR, "unlink below a file", s.c.unlink(s.p("f/x")));
            s.fails(ENAMETOOLONG, "unlink 256-byte name", s.c.unlink(s.p(NAME_256)));
            s.file("d/g", "x");
            s.as(NOBODY, NOBODY, () -> s.fails(EACCES, "unlink in root's 0755 folder", s.c.unlink(s.p("d/g"))));
            s.dir("sticky");
            s.ok("chmod sticky 01777", s.c.chmod(s.p("sticky"), 01777));
            s.file("sticky/roots", "x");
            s.as(NOBODY, NOBODY, () -> s.fails(EPERM, "unlink root's file in a sticky folder", s.c.unlink(s.p("sticky/roots"))));
        });
    }

    @Test
    void unlink_ofAnOpenFile_keepsItReadableAndWritableUntilClosed(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "still here");
            int fd = s.okFd("open f", s.c.open(s.p("f"), Libc.O_RDWR, 0));
            s.ok("unlink f", s.c.unlink(s.p("f")));
            s.exists("f");
            s.note("read after unlink", s.readFd(fd));
            s.showsFd("the open file", fd);
            s.expect("write after unlink", 4L, s.c.pwrite(fd, bytes(", yes"), 4, 10));
            s.note("read after write", s.readFd(fd));
            s.ok("close", s.c.close(fd));
            s.exists("f");
            s.file("f", "new");
            s.note("a new file of that name", s.read("f"));
        });
    }

    // --- link -----------------------------------------------------------------------------------

    @Test
    void link_addsANameForTheSameFile(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("a", "shared");
            s.dir("d");
            Libc.Stat before = s.lstat("a");
            Libc.Stat parent = s.lstat("d");
            s.tick();
            s.ok("link a d/b", s.c.link(s.p("a"), s.p("d/b")));
            Libc.Stat b = s.shows("d/b");
            s.settle();
            Libc.Stat a = s.shows("a");
            s.note("one inode", a.ino() == b.ino());
            s.note("ctime moved", a.ctime() > before.ctime());
            s.note("folder mtime moved", s.lstat("d").mtime() > parent.mtime());
            int fd = s.okFd("open d/b", s.c.open(s.p("d/b"), Libc.O_WRONLY | Libc.O_APPEND, 0));
            s.expect("append through b", 4L, s.c.write(fd, bytes(" too"), 4));
            s.ok("close", s.c.close(fd));
            s.settle();
            s.note("a reads", s.read("a"));
            s.ok("chmod through a", s.c.chmod(s.p("a"), 0600));
            s.settle();
            s.shows("d/b");
            s.ok("link a c", s.c.link(s.p("a"), s.p("c")));
            s.settle();
            s.shows("a");
            s.ok("symlink", s.c.symlink(Libc.bytes("a"), s.p("l")));
            s.ok("link of a symlink links the symlink", s.c.link(s.p("l"), s.p("l2")));
            s.shows("l2");
            s.settle();
            s.shows("l");
            s.ok("mkfifo", s.c.mkfifo(s.p("p"), 0600));
            s.ok("link of a fifo", s.c.link(s.p("p"), s.p("p2")));
            s.shows("p2");
        });
    }

    @Test
    void link_andUnlink_theLinkCountOfTheOtherNames(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("a", "x");
            s.ok("link a b", s.c.link(s.p("a"), s.p("b")));
            s.ok("link a c", s.c.link(s.p("a"), s.p("c")));
            s.settle();
            s.shows("a");
            s.shows("b");
            s.shows("c");
            s.ok("unlink b", s.c.unlink(s.p("b")));
            s.settle();
            s.shows("a");
            s.shows("c");
            s.ok("rename c over a", s.c.rename(s.p("c"), s.p("a")));
            s.settle();
            s.shows("a");
            s.exists("c");
        });
    }

    @Test
    void link_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("a", "x");
            s.file("b", "y");
            s.dir("d");
            s.fails(EEXIST, "link over a file", s.c.link(s.p("a"), s.p("b")));
            s.fails(EEXIST, "link over a folder", s.c.link(s.p("a"), s.p("d")));
            s.fails(ENOENT, "link of a missing file", s.c.link(s.p("missing"), s.p("new")));
            s.fails(ENOENT, "link into a missing folder", s.c.link(s.p("a"), s.p("missing/new")));
            s.fails(ENOTDIR, "link below a file", s.c.link(s.p("a"), s.p("b/new")));
            s.fails(EPERM, "link of a folder", s.c.link(s.p("d"), s.p("d2")));
            s.fails(ENAMETOOLONG, "link to a 256-byte name", s.c.link(s.p("a"), s.p(NAME_256)));
            s.file("nobodys", "x");
            s.ok("chown nobodys", s.c.chown(s.p("nobodys"), NOBODY, NOBODY));
            s.as(NOBODY, NOBODY, () -> s.fails(EACCES, "link into root's 0755 folder", s.c.link(s.p("nobodys"), s.p("d/new"))));
            // fs.protected_hardlinks: only the owner (or who may read and write it) links a file.
            s.as(NOBODY, NOBODY, () -> s.fails(EPERM, "link of root's file by nobody", s.c.link(s.p("a"), s.p("new"))));
            s.note("b", s.read("b"));
        });
    }

    // --- symlink --------------------------------------------------------------------------------

    @Test
    void symlink_makesALink_readlinkReadsIt(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "target's bytes");
            s.dir("d");
            Libc.Stat parent = s.lstat("");
            s.tick();
            s.ok("symlink l -> f", s.c.symlink(Libc.bytes("f"), s.p("l")));
            s.shows("l");
            s.note("parent mtime moved", s.lstat("").mtime() > parent.mtime());
            s.note("readlink l", readlink(s, "l"));
            s.note("read through l", s.read("l"));
            s.note("stat l follows", s.stat("l").typeName());
            s.ok("symlink to a folder", s.c.symlink(Libc.bytes("d"), s.p("ld")));
            s.file("ld/through", "x");
            s.exists("d/through");
            s.ok("dangling symlink", s.c.symlink(Libc.bytes("nowhere/at/all"), s.p("dangling")));
            s.shows("dangling");
            s.fails(ENOENT, "open a dangling symlink", s.c.open(s.p("dangling"), Libc.O_RDONLY, 0));
            String longTarget = "t/".repeat(2047) + "t";
            s.ok("symlink with a 4095-byte target", s.c.symlink(Libc.bytes(longTarget), s.p("long")));
            s.expect("its target", longTarget, readlink(s, "long"));
            s.shows("long");
            s.ok("symlink with a name of odd bytes", s.c.symlink(Libc.bytes("é ✓"), s.p("odd")));
            s.note("readlink odd", readlink(s, "odd"));
        });
    }

    @Test
    void symlink_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.ok("symlink", s.c.symlink(Libc.bytes("f"), s.p("l")));
            s.fails(EEXIST, "symlink over a file", s.c.symlink(Libc.bytes("x"), s.p("f")));
            s.fails(EEXIST, "symlink over a symlink", s.c.symlink(Libc.bytes("x"), s.p("l")));
            s.fails(ENOENT, "symlink in a missing folder", s.c.symlink(Libc.bytes("x"), s.p("missing/l")));
            s.fails(ENOENT, "symlink with an empty target", s.c.symlink(Libc.bytes(""), s.p("empty")));
            s.fails(ENAMETOOLONG, "symlink 256-byte name", s.c.symlink(Libc.bytes("x"), s.p(NAME_256)));
            s.fails(ENAMETOOLONG, "symlink with a 4096-byte target", s.c.symlink(Libc.bytes("t".repeat(4096)), s.p("toolong")));
            s.fails(EINVAL, "readlink of a file", s.c.readlink(s.p("f"), new byte[64], 64));
            s.fails(ENOENT, "readlink of a missing name", s.c.readlink(s.p("missing"), new byte[64], 64));
        });
    }

    // --- mkfifo, mknod --------------------------------------------------------------------------

    @Test
    void mkfifo_andMknod_makeSpecialFiles(TestInfo t) throws Exception {
        twin(t, s -> {
            s.ok("mkfifo p", s.c.mkfifo(s.p("p"), 0666));
            s.shows("p");
            s.ok("mknod fifo", s.c.mknod(s.p("q"), Libc.S_IFIFO | 0600, 0));
            s.shows("q");
            s.ok("mknod char device 1:3", s.c.mknod(s.p("null"), Libc.S_IFCHR | 0666, makedev(1, 3)));
            Libc.Stat dev = s.shows("null");
            s.note("device", dev.rdevMajor() + ":" + dev.rdevMinor());
            s.ok("mknod block device 7:0", s.c.mknod(s.p("loop"), 0060000 | 0600, makedev(7, 0)));
            dev = s.shows("loop");
            s.note("device", dev.rdevMajor() + ":" + dev.rdevMinor());
            s.ok("mknod regular file", s.c.mknod(s.p("r"), Libc.S_IFREG | 0600, 0));
            s.shows("r");
            s.fails(EEXIST, "mkfifo over a fifo", s.c.mkfifo(s.p("p"), 0644));
            s.fails(ENOENT, "mkfifo in a missing folder", s.c.mkfifo(s.p("missing/p"), 0644));
            s.fails(ENAMETOOLONG, "mkfifo 256-byte name", s.c.mkfifo(s.p(NAME_256), 0644));
            // A fifo is a pipe: the kernel serves its bytes, whatever filesystem holds its name.
            int fd = s.okFd("open the fifo read-write", s.c.open(s.p("p"), Libc.O_RDWR, 0));
            s.expect("write into the fifo", 5L, s.c.write(fd, bytes("piped"), 5));
            byte[] buf = new byte[5];
            s.expect("read from the fifo", 5L, s.c.read(fd, buf, 5));
            s.note("bytes", new String(buf, StandardCharsets.UTF_8));
            s.ok("close", s.c.close(fd));
        });
    }

    // --- rename ---------------------------------------------------------------------------------

    @Test
    void rename_withinAFolder(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("a", "content");
            Libc.Stat before = s.lstat("a");
            Libc.Stat parent = s.lstat("");
            s.tick();
            s.ok("rename a b", s.c.rename(s.p("a"), s.p("b")));
            s.exists("a");
            Libc.Stat b = s.shows("b");
            s.note("same inode", b.ino() == before.ino());
            s.note("ctime moved", b.ctime() > before.ctime());
            s.note("mtime kept", b.mtime() == before.mtime());
            s.note("parent mtime moved", s.lstat("").mtime() > parent.mtime());
            s.note("content", s.read("b"));
            s.ok("rename b to itself", s.c.rename(s.p("b"), s.p("b")));
            s.shows("b");
            s.ok("symlink", s.c.symlink(Libc.bytes("b"), s.p("l")));
            s.ok("rename a symlink", s.c.rename(s.p("l"), s.p("l2")));
            s.note("readlink l2", readlink(s, "l2"));
        });
    }

    @Test
    void rename_acrossFolders(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("from");
            s.dir("to");
            s.file("from/f", "x");
            s.dir("from/sub");
            s.file("from/sub/inner", "deep");
            Libc.Stat to = s.lstat("to");
            s.tick();
            s.ok("rename a file across", s.c.rename(s.p("from/f"), s.p("to/f")));
            s.note("target folder mtime moved", s.lstat("to").mtime() > to.mtime());
            s.ok("rename a folder across", s.c.rename(s.p("from/sub"), s.p("to/sub")));
            s.shows("from");
            s.shows("to");
            s.shows("to/sub");
            s.note("inner", s.read("to/sub/inner"));
            s.exists("from/sub/inner");
            s.ok("rename a folder back up", s.c.rename(s.p("to/sub"), s.p("sub")));
            s.shows("");
            s.shows("to");
            s.note("inner", s.read("sub/inner"));
        });
    }

    @Test
    void rename_overAFile_replacesIt_andAnOpenHandleStillReadsTheOld(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("old", "old bytes");
            s.file("new", "new bytes");
            s.ok("link old keep", s.c.link(s.p("old"), s.p("keep")));
            int fd = s.okFd("open old", s.c.open(s.p("old"), Libc.O_RDONLY, 0));
            Libc.Stat newBefore = s.lstat("new");
            s.ok("rename new over old", s.c.rename(s.p("new"), s.p("old")));
            s.exists("new");
            Libc.Stat old = s.shows("old");
            s.note("old is the new inode", old.ino() == newBefore.ino());
            s.note("content", s.read("old"));
            s.note("the open handle reads", s.readFd(fd));
            s.ok("close", s.c.close(fd));
            s.settle();
            s.shows("keep");
            s.note("keep", s.read("keep"));
        });
    }

    @Test
    void rename_ofAFolder_overFoldersAndFiles(TestInfo t) throws Exception {
        twin(t, s -> {
            s.dir("d");
            s.file("d/f", "x");
            s.dir("empty");
            s.dir("full");
            s.file("full/f", "x");
            s.file("file", "x");
            s.ok("rename d over an empty folder", s.c.rename(s.p("d"), s.p("empty")));
            s.exists("d");
            s.note("moved content", s.read("empty/f"));
            s.shows("");
            s.fails(ENOTEMPTY, "rename a folder over a folder with entries", s.c.rename(s.p("empty"), s.p("full")));
            s.fails(ENOTDIR, "rename a folder over a file", s.c.rename(s.p("empty"), s.p("file")));
            s.fails(EISDIR, "rename a file over a folder", s.c.rename(s.p("file"), s.p("full")));
            s.fails(EINVAL, "rename a folder into itself", s.c.rename(s.p("full"), s.p("full/inside")));
            s.dir("full/sub");
            s.fails(EINVAL, "rename a folder below itself", s.c.rename(s.p("full"), s.p("full/sub/inside")));
            s.fails(ENOTEMPTY, "rename a folder over its parent", s.c.rename(s.p("full/sub"), s.p("full")));
            s.shows("full");
            s.shows("empty");
        });
    }

    @Test
    void rename_ofTwoHardLinksOfOneFile_doesNothing(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("a", "x");
            s.ok("link a b", s.c.link(s.p("a"), s.p("b")));
            s.ok("rename a b", s.c.rename(s.p("a"), s.p("b")));
            s.shows("a");
            s.shows("b");
        });
    }

    @Test
    void rename_errors(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("f", "x");
            s.dir("d");
            s.fails(ENOENT, "rename a missing name", s.c.rename(s.p("missing"), s.p("x")));
            s.fails(ENOENT, "rename into a missing folder", s.c.rename(s.p("f"), s.p("missing/x")));
            s.fails(ENOTDIR, "rename below a file", s.c.rename(s.p("f"), s.p("f/x")));
            s.fails(ENAMETOOLONG, "rename to a 256-byte name", s.c.rename(s.p("f"), s.p(NAME_256)));
            s.file("d/g", "x");
            s.as(NOBODY, NOBODY, () -> s.fails(EACCES, "rename in root's 0755 folder", s.c.rename(s.p("d/g"), s.p("d/h"))));
            s.dir("sticky");
            s.ok("chmod sticky 01777", s.c.chmod(s.p("sticky"), 01777));
            s.file("sticky/roots", "x");
            s.as(NOBODY, NOBODY, () -> s.fails(EPERM, "rename root's file out of a sticky folder",
                    s.c.rename(s.p("sticky/roots"), s.p("sticky/mine"))));
            s.exists("f");
        });
    }

    @Test
    void rename_ofAnOpenFile_andTheSaveByRenamePattern(TestInfo t) throws Exception {
        twin(t, s -> {
            s.file("doc", "version 1");
            int fd = s.okFd("open doc", s.c.open(s.p("doc"), Libc.O_RDWR, 0));
            s.ok("rename doc moved", s.c.rename(s.p("doc"), s.p("moved")));
            s.expect("write through the open handle", 1L, s.c.pwrite(fd, bytes("V"), 1, 0));
            s.ok("close", s.c.close(fd));
            s.note("moved", s.read("moved"));
            int tmp = s.okFd("create moved.tmp", s.c.open(s.p("moved.tmp"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
            s.expect("write", 9L, s.c.write(tmp, bytes("version 2"), 9));
            s.ok("fsync", s.c.fsync(tmp));
            s.ok("close", s.c.close(tmp));
            s.ok("rename over", s.c.rename(s.p("moved.tmp"), s.p("moved")));
            s.note("moved", s.read("moved"));
            s.exists("moved.tmp");
        });
    }

    private static long makedev(int major, int minor) {
        return ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12);
    }

    private static String readlink(Scene s, String rel) {
        byte[] buf = new byte[8192];
        long n = s.ok("readlink " + rel, s.c.readlink(s.p(rel), buf, buf.length));
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
