package dev.strata.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Struct;
import ru.serce.jnrfuse.struct.FuseFileInfo;

/**
 * The bits an open answers the kernel with in libfuse 2's {@code struct fuse_file_info}. jnr-fuse 0.5
 * declares them as padding after {@code fh_old} and leaves out the {@code int writepage} before them,
 * so they are set here at their real place: on x86-64, the 32-bit word at byte 20, after {@code int
 * flags}, {@code unsigned long fh_old} and {@code int writepage}, bit 0 {@code direct_io}, bit 1
 * {@code keep_cache}. Stateless.
 */
final class OpenReply {
    static final int BITS_OFFSET = 20;
    static final int KEEP_CACHE = 1 << 1;

    private OpenReply() {
    }

    /** Lets the kernel keep the pages it has of the file (FOPEN_KEEP_CACHE) instead of dropping them at this open. */
    static void keepCache(FuseFileInfo fi) {
        Pointer p = Struct.getMemory(fi);
        p.putInt(BITS_OFFSET, p.getInt(BITS_OFFSET) | KEEP_CACHE);
    }

    static boolean keepsCache(FuseFileInfo fi) {
        return (Struct.getMemory(fi).getInt(BITS_OFFSET) & KEEP_CACHE) != 0;
    }
}
