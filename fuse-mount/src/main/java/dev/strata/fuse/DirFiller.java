package dev.strata.fuse;

import dev.strata.core.name.NameBytes;
import dev.strata.core.view.Attributes;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.provider.jffi.ClosureHelper;
import jnr.ffi.types.off_t;
import ru.serce.jnrfuse.struct.FileStat;

import java.lang.ref.Reference;

/**
 * Hands a folder's names to libfuse's {@code fuse_fill_dir_t}, one call per name, from buffers of
 * native memory kept per thread: the name's exact bytes and a stat holding only what libfuse
 * passes on in a listing (the file type and the inode; libfuse 2 has no readdirplus, so the rest
 * would be dropped). jnr-fuse's filler takes the name as a heap buffer, which jnr-ffi copies into
 * temporary native memory and back at every call, and the adapter filled every field of the stat;
 * a listing of 23,000 names made as many of each. One filler per readdir request, used by the
 * thread serving it.
 */
final class DirFiller {
    /** libfuse's {@code fuse_fill_dir_t}, with the name as a pointer. Public: jnr-ffi implements it elsewhere. */
    public interface Fill {
        @Delegate
        int apply(Pointer buf, Pointer name, Pointer stat, @off_t long offset);
    }

    /** One set of native buffers per request thread; the name buffer grows to the longest name met. */
    private static final class Buffers {
        final Runtime runtime = Runtime.getSystemRuntime();
        final Pointer stat = Memory.allocateDirect(runtime, Struct.size(new FileStat(runtime)), true);
        final FileStat st = FileStat.of(stat);
        Pointer name = Memory.allocateDirect(runtime, 256);

        Pointer name(byte[] bytes) {
            if (name.size() < bytes.length + 1) {
                name = Memory.allocateDirect(runtime, Math.max(bytes.length + 1, name.size() * 2));
            }
            name.put(0, bytes, 0, bytes.length);
            name.putByte(bytes.length, (byte) 0);
            return name;
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** The last native filler converted: libfuse passes the same function at every readdir. */
    private static volatile Converted last;

    private record Converted(long address, Fill fill) {
    }

    private final Pointer buf;
    private final Fill fill;

    DirFiller(Pointer buf, Fill fill) {
        this.buf = buf;
        this.fill = fill;
    }

    /** A filler calling the native {@code fuse_fill_dir_t} at {@code filler} into libfuse's {@code buf}. */
    static DirFiller of(Pointer buf, Pointer filler) {
        Converted c = last;
        if (c == null || c.address() != filler.address()) {
            ClosureHelper helper = ClosureHelper.getInstance();
            c = new Converted(filler.address(), helper.getNativeConveter(Fill.class).fromNative(filler, helper.getFromNativeContext()));
            last = c;
        }
        return new DirFiller(buf, c.fill());
    }

    /** Adds "." and "..", which carry no attributes. False when libfuse's buffer is full. */
    boolean addDots() {
        Buffers b = BUFFERS.get();
        boolean ok = fill.apply(buf, b.name(DOT), null, 0) == 0 && fill.apply(buf, b.name(DOTDOT), null, 0) == 0;
        Reference.reachabilityFence(b);
        return ok;
    }

    /** Adds one name with its type and inode. False when libfuse's buffer is full. */
    boolean add(String name, Attributes a) {
        Buffers b = BUFFERS.get();
        b.st.st_mode.set(StatFiller.typeBits(a.type()) | a.mode());
        b.st.st_ino.set(a.inode());
        boolean ok = fill.apply(buf, b.name(NameBytes.encode(name)), b.stat, 0) == 0;
        // libfuse reads both buffers during the call; keep them from the cleaner until it returns.
        Reference.reachabilityFence(b);
        return ok;
    }

    private static final byte[] DOT = {'.'};
    private static final byte[] DOTDOT = {'.', '.'};
}
