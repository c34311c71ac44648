package dev.strata.fuse;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import jnr.ffi.Memory;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.struct.FuseFileInfo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which opens let the kernel keep the pages it cached of a file: only those of a file open for
 * writing through the same name and no other, in a file with one name. Every other open drops them,
 * as a writable mount always did, so that a change made other than through that name is seen.
 */
class OpenKeepsPagesTest {
    private static final Runtime RT = Runtime.getSystemRuntime();
    private static final Timestamp T = new Timestamp(1_700_000_000L, 0);
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;

    /** A writable file: inode 7 with one name, or inode 8 reached by two names (a hard link). */
    private static ViewNode file(long inode, long links) {
        return new ViewNode() {
            @Override
            public Attributes attributes() {
                return new Attributes(NodeType.FILE, 0644, 0, 0, 0, 0, T, T, T, inode, links, 0);
            }

            @Override
            public OpenFile open() {
                return new OpenFile() {
                    @Override
                    public int read(long offset, int length, ReadSink sink) {
                        return 0;
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public OpenFile openForWriting() {
                return open();
            }
        };
    }

    private final ViewNode single = file(7, 1);
    private final ViewNode linked = file(8, 2);
    private final ViewNode root = new ViewNode() {
        private final Map<String, ViewNode> children = Map.of("a", single, "h1", linked, "h2", linked);

        @Override
        public Attributes attributes() {
            return Attributes.virtualDirectory(1, T, 0, 0);
        }

        @Override
        public Optional<ViewNode> child(String name) {
            return Optional.ofNullable(children.get(name));
        }
    };

    private final FuseAdapter adapter = new FuseAdapter(root,
            new MountLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

    private FuseFileInfo open(String path, int flags) {
        FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(RT, 256));
        fi.flags.set(flags);
        assertThat(adapter.open(path, fi)).isZero();
        return fi;
    }

    @Test
    void withNoWriter_everyOpenDropsThePages() {
        assertThat(OpenReply.keepsCache(open("/a", O_RDONLY))).isFalse();
        assertThat(OpenReply.keepsCache(open("/a", O_RDWR))).isFalse();
    }

    @Test
    void whileAWriterHasTheFileOpen_opensOfThatNameKeepThePages_untilItCloses() {
        FuseFileInfo writer = open("/a", O_WRONLY);
        assertThat(OpenReply.keepsCache(writer)).isFalse();
        assertThat(OpenReply.keepsCache(open("/a", O_RDONLY))).isTrue();
        FuseFileInfo second = open("/a", O_RDWR);
        assertThat(OpenReply.keepsCache(second)).isTrue();
        assertThat(adapter.release("/a", writer)).isZero();
        assertThat(OpenReply.keepsCache(open("/a", O_RDONLY))).isTrue();
        assertThat(adapter.release("/a", second)).isZero();
        assertThat(OpenReply.keepsCache(open("/a", O_RDONLY))).isFalse();
    }

    @Test
    void aFileCreatedIsOpenForWriting_byItsName() {
        FuseFileInfo created = FuseFileInfo.of(Memory.allocateDirect(RT, 256));
        ViewNode folder = new ViewNode() {
            private ViewNode made;

            @Override
            public Attributes attributes() {
                return Attributes.virtualDirectory(1, T, 0, 0);
            }

            @Override
            public Optional<ViewNode> child(String name) {
                return Optional.ofNullable(name.equals("new") ? made : null);
            }

            @Override
            public OpenFile create(String name, int mode, dev.strata.core.view.Caller caller) throws java.io.IOException {
                made = file(9, 1);
                return made.openForWriting();
            }
        };
        FuseAdapter a = new FuseAdapter(folder,
                new MountLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertThat(a.create("/new", 0644, created)).isZero();
        FuseFileInfo reader = FuseFileInfo.of(Memory.allocateDirect(RT, 256));
        assertThat(a.open("/new", reader)).isZero();
        assertThat(OpenReply.keepsCache(reader)).isTrue();
    }

    @Test
    void aFileWithTwoNames_dropsThePagesAtEveryOpen_forTheOtherNameHasPagesOfItsOwn() {
        open("/h1", O_RDWR);
        assertThat(OpenReply.keepsCache(open("/h1", O_RDONLY))).isFalse();
        assertThat(OpenReply.keepsCache(open("/h2", O_RDONLY))).isFalse();
    }

    @Test
    void theKeepCacheBit_isBit1OfTheWordBeforeTheHandle_andLeavesTheHandleAlone() {
        FuseFileInfo fi = FuseFileInfo.of(Memory.allocateDirect(RT, 256));
        // struct fuse_file_info of libfuse 2 on x86-64: int flags, unsigned long fh_old, int writepage,
        // the bit field word at 20, uint64_t fh at 24.
        assertThat(fi.fh.offset()).isEqualTo(24);
        fi.fh.set(0x1122334455667788L);
        OpenReply.keepCache(fi);
        assertThat(jnr.ffi.Struct.getMemory(fi).getInt(20)).isEqualTo(2);
        assertThat(fi.fh.get()).isEqualTo(0x1122334455667788L);
    }
}
