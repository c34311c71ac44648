package dev.strata.fuse;

import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.struct.FileStat;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The filler as libfuse's fill_dir sees it: each name's bytes, NUL-terminated, and the stat it reads. */
class DirFillerTest {
    private static final Timestamp T = new Timestamp(1_700_000_000L, 0);

    private record Seen(byte[] name, long mode, long ino, boolean hasStat) {
    }

    /** Records what a native fill_dir would read; full after {@code room} names. */
    private static final class Recorder implements DirFiller.Fill {
        final List<Seen> seen = new ArrayList<>();
        final int room;

        Recorder(int room) {
            this.room = room;
        }

        @Override
        public int apply(Pointer buf, Pointer name, Pointer stat, long offset) {
            if (seen.size() == room) {
                return 1;
            }
            byte[] bytes = new byte[name.indexOf(0, (byte) 0)];
            name.get(0, bytes, 0, bytes.length);
            if (stat == null) {
                seen.add(new Seen(bytes, 0, 0, false));
            } else {
                FileStat st = FileStat.of(stat);
                seen.add(new Seen(bytes, st.st_mode.longValue(), st.st_ino.longValue(), true));
            }
            return 0;
        }
    }

    private static Attributes attrs(NodeType type, int mode, long ino) {
        return new Attributes(type, mode, 0, 0, 0, 0, T, T, T, ino, 1, 0);
    }

    @Test
    void eachName_isItsExactBytes_withItsTypeAndInode() {
        Recorder r = new Recorder(100);
        DirFiller f = new DirFiller(null, r);
        String notUtf8 = NameBytes.decode(new byte[] {'a', (byte) 0xff, 'b'});
        String longName = "n".repeat(300);

        assertThat(f.addDots()).isTrue();
        assertThat(f.add("file", attrs(NodeType.FILE, 0644, 42))).isTrue();
        assertThat(f.add(notUtf8, attrs(NodeType.DIRECTORY, 0755, 43))).isTrue();
        assertThat(f.add(longName, attrs(NodeType.SYMLINK, 0777, 44))).isTrue();
        assertThat(f.add("x", attrs(NodeType.FILE, 0600, 45))).isTrue();

        assertThat(r.seen).hasSize(6);
        assertThat(r.seen.get(0).name()).isEqualTo(new byte[] {'.'});
        assertThat(r.seen.get(1).name()).isEqualTo(new byte[] {'.', '.'});
        assertThat(r.seen.get(0).hasStat()).isFalse();
        assertThat(r.seen.get(2).name()).isEqualTo("file".getBytes());
        assertThat(r.seen.get(2).mode()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(r.seen.get(2).ino()).isEqualTo(42);
        assertThat(r.seen.get(3).name()).isEqualTo(new byte[] {'a', (byte) 0xff, 'b'});
        assertThat(r.seen.get(3).mode()).isEqualTo(FileStat.S_IFDIR | 0755);
        assertThat(r.seen.get(4).name()).hasSize(300);
        assertThat(r.seen.get(4).mode()).isEqualTo(FileStat.S_IFLNK | 0777);
        // A shorter name after a longer one: its own bytes only, up to its NUL.
        assertThat(r.seen.get(5).name()).isEqualTo(new byte[] {'x'});
        assertThat(r.seen.get(5).ino()).isEqualTo(45);
    }

    @Test
    void aFullBuffer_isSaid() {
        Recorder r = new Recorder(3);
        DirFiller f = new DirFiller(null, r);
        assertThat(f.addDots()).isTrue();
        assertThat(f.add("a", attrs(NodeType.FILE, 0644, 2))).isTrue();
        assertThat(f.add("b", attrs(NodeType.FILE, 0644, 3))).isFalse();
        assertThat(r.seen).hasSize(3);
    }

    @Test
    void libfusesNativeFiller_isConvertedOnce() {
        Runtime rt = Runtime.getSystemRuntime();
        Recorder r = new Recorder(10);
        Pointer fn = rt.getClosureManager().getClosurePointer(DirFiller.Fill.class, r);
        DirFiller f = DirFiller.of(null, fn);
        assertThat(f.add("through-native", attrs(NodeType.FILE, 0644, 7))).isTrue();
        assertThat(r.seen).hasSize(1);
        assertThat(r.seen.get(0).name()).isEqualTo("through-native".getBytes());
        assertThat(r.seen.get(0).ino()).isEqualTo(7);
    }
}
