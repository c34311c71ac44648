package dev.strata.fuse;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.Xattr;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import jnr.constants.platform.Errno;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter without a kernel: callbacks called as libfuse would, on a small in-memory view.
 * Nothing escapes a callback, writes answer EROFS, reads go through the handle table.
 */
class FuseAdapterTest {
    private static final Runtime RT = Runtime.getSystemRuntime();
    private static final Timestamp T = new Timestamp(1_700_000_000L, 123_456_789);
    private static final byte[] DATA = "hello, strata".getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger lookups = new AtomicInteger();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    private final ViewNode file = new ViewNode() {
        @Override
        public Attributes attributes() {
            return new Attributes(NodeType.FILE, 0644, 1000, 1000, DATA.length, 8, T, T, T, 42, 2, 0);
        }

        @Override
        public OpenFile open() {
            return new OpenFile() {
                @Override
                public int read(long offset, int length, ReadSink sink) {
                    int n = (int) Math.max(0, Math.min(length, DATA.length - offset));
                    sink.put(0, DATA, (int) offset, n);
                    return n;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public List<Xattr> xattrs() {
            return List.of(new Xattr("user.colour", "blue".getBytes(StandardCharsets.UTF_8)));
        }
    };

    private final ViewNode damaged = new ViewNode() {
        @Override
        public Attributes attributes() {
            return new Attributes(NodeType.FILE, 0644, 0, 0, 10, 8, T, T, T, 43, 1, 0);
        }

        @Override
        public OpenFile open() {
            return new OpenFile() {
                @Override
                public int read(long offset, int length, ReadSink sink) throws IOException {
                    throw new CorruptDataException("pack 0badc0de: entry does not authenticate");
                }

                @Override
                public void close() {
                }
            };
        }
    };

    /** A file whose xattrs can be set. */
    private final ViewNode tagged = new ViewNode() {
        private final java.util.TreeMap<String, byte[]> xattrs = new java.util.TreeMap<>(Map.of("user.colour", DATA));

        @Override
        public Attributes attributes() {
            return new Attributes(NodeType.FILE, 0644, 0, 0, 0, 0, T, T, T, 44, 1, 0);
        }

        @Override
        public synchronized List<Xattr> xattrs() {
            return xattrs.entrySet().stream().map(e -> new Xattr(e.getKey(), e.getValue())).toList();
        }

        @Override
        public synchronized void setXattr(String name, byte[] value) {
            xattrs.put(name, value);
        }
    };

    private final ViewNode buggy = () -> {
        throw new IllegalStateException("a bug in a view");
    };

    private final ViewNode root = new ViewNode() {
        private final Map<String, ViewNode> children = Map.of("file", file, "damaged", damaged, "buggy", buggy, "tagged", tagged);

        @Override
        public Attributes attributes() {
            return Attributes.virtualDirectory(1, T, 0, 0);
        }

        @Override
        public List<DirEntry> list() throws IOException {
            return List.of(new DirEntry("file", file.attributes()));
        }

        @Override
        public Optional<ViewNode> child(String name) {
            lookups.incrementAndGet();
            return Optional.ofNullable(children.get(name));
        }
    };

    private final FuseAdapter adapter = new FuseAdapter(root, new MountLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));

    private static FileStat stat() {
        return FileStat.of(Memory.allocateDirect(RT, Struct.size(new FileStat(RT))));
    }

    private static FuseFileInfo info() {
        // Larger than struct fuse_file_info on any platform; the constructor that measures it is not public.
        return FuseFileInfo.of(Memory.allocateDirect(RT, 256));
    }

    @Test
    void getattrFillsStatFromAttributes() {
        FileStat st = stat();
        assertThat(adapter.getattr("/file", st)).isZero();
        assertThat(st.st_size.longValue()).isEqualTo(DATA.length);
        assertThat(st.st_ino.longValue()).isEqualTo(42);
        assertThat(st.st_nlink.longValue()).isEqualTo(2);
        assertThat(st.st_mode.intValue()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(st.st_mtim.tv_sec.longValue()).isEqualTo(T.seconds());
        assertThat(st.st_mtim.tv_nsec.longValue()).isEqualTo(T.nanos());
        assertThat(adapter.getattr("/missing", stat())).isEqualTo(-Errno.ENOENT.intValue());
    }

    @Test
    void readGoesThroughTheHandleWithoutResolvingAgain() {
        FuseFileInfo fi = info();
        assertThat(adapter.open("/file", fi)).isZero();
        int before = lookups.get();
        Pointer buf = Memory.allocateDirect(RT, 64);
        assertThat(adapter.read("/file", buf, 64, 0, fi)).isEqualTo(DATA.length);
        byte[] got = new byte[DATA.length];
        buf.get(0, got, 0, got.length);
        assertThat(got).isEqualTo(DATA);
        assertThat(adapter.read("/file", buf, 64, 7, fi)).isEqualTo(DATA.length - 7);
        assertThat(lookups.get()).isEqualTo(before);
        assertThat(adapter.release("/file", fi)).isZero();
        assertThat(adapter.read("/file", buf, 64, 0, fi)).isEqualTo(-Errno.EBADF.intValue());
    }

    @Test
    void everyWriteCallAnswersErofs() {
        int erofs = -Errno.EROFS.intValue();
        assertThat(adapter.mkdir("/new", 0755)).isEqualTo(erofs);
        assertThat(adapter.create("/new", 0644, info())).isEqualTo(erofs);
        assertThat(adapter.unlink("/file")).isEqualTo(erofs);
        assertThat(adapter.rmdir("/file")).isEqualTo(erofs);
        assertThat(adapter.rename("/file", "/other")).isEqualTo(erofs);
        assertThat(adapter.symlink("file", "/link")).isEqualTo(erofs);
        assertThat(adapter.link("/file", "/hard")).isEqualTo(erofs);
        assertThat(adapter.chmod("/file", 0600)).isEqualTo(erofs);
        assertThat(adapter.chown("/file", 1, 1)).isEqualTo(erofs);
        assertThat(adapter.truncate("/file", 0)).isEqualTo(erofs);
        assertThat(adapter.mknod("/fifo", FileStat.S_IFIFO | 0644, 0)).isEqualTo(erofs);
        assertThat(adapter.setxattr("/file", "user.x", Memory.allocateDirect(RT, 1), 1, 0)).isEqualTo(erofs);
        assertThat(adapter.removexattr("/file", "user.colour")).isEqualTo(erofs);
        FuseFileInfo writing = info();
        writing.flags.set(1); // O_WRONLY
        assertThat(adapter.open("/file", writing)).isEqualTo(erofs);
    }

    @Test
    void everyCallbackIsCounted_byKind() {
        FuseFileInfo fi = info();
        adapter.getattr("/file", stat());
        adapter.open("/file", fi);
        adapter.read("/file", Memory.allocateDirect(RT, 64), 64, 0, fi);
        adapter.write("/file", Memory.allocateDirect(RT, 4), 4, 0, fi);
        adapter.fsync("/file", 0, fi);
        adapter.release("/file", fi);
        adapter.getxattr("/file", "user.colour", Memory.allocateDirect(RT, 64), 64);
        adapter.create("/new", 0644, info());
        adapter.mkdir("/dir", 0755);
        adapter.rename("/file", "/other");
        adapter.unlink("/file");
        adapter.chmod("/file", 0600);
        adapter.utimens("/file", new ru.serce.jnrfuse.struct.Timespec[]{
                ru.serce.jnrfuse.struct.Timespec.of(Memory.allocateDirect(RT, 16)),
                ru.serce.jnrfuse.struct.Timespec.of(Memory.allocateDirect(RT, 16))});
        assertThat(adapter.statistics().toString()).isEqualTo("getattr 1, readdir 0, open 1, read 1, write 1, release 1,"
                + " fsync 1, xattr 1, create 2, remove 2, setattr 2, other 0");
    }

    @Test
    void nothingEscapesACallbackAndDamageIsLoggedOnce() {
        assertThat(adapter.getattr("/buggy", stat())).isEqualTo(-Errno.EIO.intValue());
        FuseFileInfo fi = info();
        assertThat(adapter.open("/damaged", fi)).isZero();
        Pointer buf = Memory.allocateDirect(RT, 16);
        assertThat(adapter.read("/damaged", buf, 16, 0, fi)).isEqualTo(-Errno.EIO.intValue());
        assertThat(adapter.read("/damaged", buf, 16, 0, fi)).isEqualTo(-Errno.EIO.intValue());
        String log = logged.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("/damaged").contains("pack 0badc0de").contains("a bug in a view");
        assertThat(log.split("pack 0badc0de", -1)).hasSize(2);
        // The rest of the tree reads fine.
        assertThat(adapter.getattr("/file", stat())).isZero();
    }

    @Test
    void setxattr_honoursCreateAndReplace() {
        Pointer v = Memory.allocateDirect(RT, 1);
        int create = 1;
        int replace = 2;
        assertThat(adapter.setxattr("/tagged", "user.colour", v, 1, create)).isEqualTo(-Errno.EEXIST.intValue());
        assertThat(adapter.setxattr("/tagged", "user.size", v, 1, replace)).isEqualTo(-Errno.ENODATA.intValue());
        assertThat(adapter.getxattr("/tagged", "user.size", v, 1)).isEqualTo(-Errno.ENODATA.intValue());
        assertThat(adapter.setxattr("/tagged", "user.size", v, 1, create)).isZero();
        assertThat(adapter.setxattr("/tagged", "user.size", v, 1, replace)).isZero();
        assertThat(adapter.setxattr("/tagged", "user.colour", v, 1, 0)).isZero();
        assertThat(adapter.getxattr("/tagged", "user.colour", v, 0)).isEqualTo(1);
    }

    @Test
    void anOpenFileIsReadAndStatedByItsHandle_withoutAPath() {
        // libfuse passes no path once the file's name is gone (unlinked or renamed over while open).
        FuseFileInfo fi = info();
        assertThat(adapter.open("/file", fi)).isZero();
        FileStat st = stat();
        assertThat(adapter.fgetattr(null, st, fi)).isZero();
        assertThat(st.st_ino.longValue()).isEqualTo(42);
        assertThat(st.st_size.longValue()).isEqualTo(DATA.length);
        Pointer buf = Memory.allocateDirect(RT, 64);
        assertThat(adapter.read(null, buf, 64, 0, fi)).isEqualTo(DATA.length);
        assertThat(adapter.release(null, fi)).isZero();
        assertThat(adapter.fgetattr(null, stat(), fi)).isEqualTo(-Errno.EBADF.intValue());
        assertThat(adapter.readdir(null, buf, null, 0, fi)).isEqualTo(-Errno.ENOENT.intValue());
        ru.serce.jnrfuse.struct.FuseOperations ops = adapter.operations();
        byte flags = Struct.getMemory(ops).getByte(ExactPathCallbacks.flagsOffset(ops));
        assertThat(flags & ExactPathCallbacks.FLAG_NULLPATH_OK).isNotZero();
    }

    @Test
    void aListing_givesDotsThenEachNameWithItsTypeAndInode() {
        List<String> names = new java.util.ArrayList<>();
        List<Long> inodes = new java.util.ArrayList<>();
        ru.serce.jnrfuse.FuseFillDir filler = (buf, name, stat, off) -> {
            byte[] b = new byte[name.remaining() - 1];
            name.get(b);
            names.add(new String(b, StandardCharsets.UTF_8));
            inodes.add(stat == null ? -1 : FileStat.of(stat).st_ino.longValue());
            return 0;
        };
        assertThat(adapter.readdir("/", null, filler, 0, info())).isZero();
        assertThat(names).containsExactly(".", "..", "file");
        assertThat(inodes).containsExactly(-1L, -1L, 42L);
    }

    /** A writable folder holding files by name, each a copy of {@code file} with its own inode. */
    private static final class Folder implements ViewNode {
        final java.util.Map<String, ViewNode> children = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Attributes attributes() {
            return Attributes.virtualDirectory(1, T, 0, 0);
        }

        @Override
        public Optional<ViewNode> child(String name) {
            return Optional.ofNullable(children.get(name));
        }

        @Override
        public void remove(String name, boolean directory) throws IOException {
            if (children.remove(name) == null) {
                throw new java.nio.file.NoSuchFileException(name);
            }
            removed.add(name);
        }

        @Override
        public void rename(String name, ViewNode target, String newName) throws IOException {
            ViewNode n = children.remove(name);
            if (n == null) {
                throw new java.nio.file.NoSuchFileException(name);
            }
            ViewNode replaced = children.put(newName, n);
            if (replaced != null) {
                removed.add(newName);
            }
        }

        static ViewNode fileWithInode(long ino) {
            return () -> new Attributes(NodeType.FILE, 0644, 0, 0, 1, 8, T, T, T, ino, 1, 0);
        }
    }

    @Test
    void aFileLibfuseHidesWhenUnlinkedWhileOpen_leavesTheViewAndStaysReachableByItsHiddenName() {
        Folder folder = new Folder();
        folder.children.put("open", Folder.fileWithInode(7));
        FuseAdapter writable = new FuseAdapter(folder, new MountLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
        String hidden = "/.fuse_hidden0000000200000001";
        FuseRequest.beginForTest(FuseRequest.UNLINK, null);
        assertThat(writable.rename("/open", hidden)).isZero();
        assertThat(folder.children).doesNotContainKey("open").doesNotContainKey(hidden.substring(1));
        assertThat(folder.removed).containsExactly("open");
        FileStat st = stat();
        assertThat(writable.getattr(hidden, st)).isZero();
        assertThat(st.st_ino.longValue()).isEqualTo(7);
        assertThat(writable.getattr("/open", stat())).isEqualTo(-Errno.ENOENT.intValue());
        FuseRequest.beginForTest(FuseRequest.UNLINK, null);
        assertThat(writable.unlink(hidden)).isZero();
        assertThat(writable.getattr(hidden, stat())).isEqualTo(-Errno.ENOENT.intValue());
        assertThat(folder.removed).containsExactly("open");
    }

    @Test
    void aFileLibfuseHidesBeforeARenameOverIt_isReplacedByTheRenameInOneStep() {
        Folder folder = new Folder();
        folder.children.put("doc", Folder.fileWithInode(7));
        folder.children.put("doc.tmp", Folder.fileWithInode(8));
        FuseAdapter writable = new FuseAdapter(folder, new MountLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
        String hidden = "/.fuse_hidden0000000300000001";
        FuseRequest.beginForTest(FuseRequest.RENAME, "doc");
        assertThat(writable.rename("/doc", hidden)).isZero();
        assertThat(folder.children).containsKey("doc");
        assertThat(writable.rename("/doc.tmp", "/doc")).isZero();
        assertThat(folder.removed).containsExactly("doc");
        FileStat st = stat();
        assertThat(writable.getattr(hidden, st)).isZero();
        assertThat(st.st_ino.longValue()).isEqualTo(7);
        assertThat(writable.getattr("/doc", st)).isZero();
        assertThat(st.st_ino.longValue()).isEqualTo(8);
        // A rename a program asks for, to a name that merely looks hidden, is a rename.
        FuseRequest.beginForTest(FuseRequest.RENAME, ".fuse_hidden0000000400000001");
        assertThat(writable.rename("/doc", "/.fuse_hidden0000000400000001")).isZero();
        assertThat(folder.children).containsKey(".fuse_hidden0000000400000001");
    }

    @Test
    void theCallbackTable_saysUtimensTakesNowAndOmit() {
        // Without flag_utime_omit_ok libfuse drops a change of one time alone (touch -a, touch -m).
        ru.serce.jnrfuse.struct.FuseOperations ops = adapter.operations();
        byte flags = Struct.getMemory(ops).getByte(ExactPathCallbacks.flagsOffset(ops));
        assertThat(flags & ExactPathCallbacks.FLAG_UTIME_OMIT_OK).isNotZero();
    }

    /** The stat struct reused by a request thread writes each call's answer into that call's own buffer. */
    @Test
    void aStatStructReusedByAThread_fillsEachCallsOwnBuffer() {
        Pointer first = Memory.allocateDirect(RT, Struct.size(new FileStat(RT)));
        Pointer second = Memory.allocateDirect(RT, Struct.size(new FileStat(RT)));
        assertThat(adapter.getattr("/file", ExactPathCallbacks.stat(first))).isZero();
        assertThat(adapter.getattr("/damaged", ExactPathCallbacks.stat(second))).isZero();
        assertThat(FileStat.of(first).st_ino.longValue()).isEqualTo(42);
        assertThat(FileStat.of(second).st_ino.longValue()).isEqualTo(43);
    }

    /**
     * The table has no flush, so the kernel sends none after the first (a close has nothing to do
     * before its release), and has fsync, whose absence libfuse would report to programs as success.
     */
    @Test
    void theCallbackTable_hasNoFlush_butHasFsync() {
        ru.serce.jnrfuse.struct.FuseOperations ops = adapter.operations();
        Pointer table = Struct.getMemory(ops);
        assertThat(table.getPointer(ops.flush.offset())).isNull();
        assertThat(table.getPointer(ops.fsync.offset())).isNotNull();
        assertThat(table.getPointer(ops.release.offset())).isNotNull();
    }

    @Test
    void xattrsFollowTheSizeProtocol() {
        Pointer buf = Memory.allocateDirect(RT, 64);
        assertThat(adapter.getxattr("/file", "user.colour", buf, 0)).isEqualTo(4);
        assertThat(adapter.getxattr("/file", "user.colour", buf, 2)).isEqualTo(-Errno.ERANGE.intValue());
        assertThat(adapter.getxattr("/file", "user.colour", buf, 64)).isEqualTo(4);
        assertThat(buf.getString(0, 4, StandardCharsets.UTF_8)).isEqualTo("blue");
        assertThat(adapter.getxattr("/file", "user.none", buf, 64)).isEqualTo(-Errno.ENODATA.intValue());
        assertThat(adapter.listxattr("/file", buf, 0)).isEqualTo("user.colour".length() + 1);
    }
}
