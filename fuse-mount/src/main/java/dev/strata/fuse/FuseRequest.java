package dev.strata.fuse;

import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * What the callbacks of the request this thread is serving may need to know of it that libfuse's
 * high-level API does not pass on: its opcode, and for a rename its target name. Read from the
 * request's bytes before libfuse processes it (FuseMount's loop). Confined to the serving thread.
 */
final class FuseRequest {
    /** Opcodes of linux/fuse.h. */
    static final int UNLINK = 10;
    static final int RENAME = 12;
    static final int RENAME2 = 45;
    /** struct fuse_in_header: len, opcode, unique, nodeid, uid, gid, pid, padding. */
    private static final int HEADER = 40;

    private static final ThreadLocal<FuseRequest> CURRENT = ThreadLocal.withInitial(FuseRequest::new);

    private int opcode;
    private String renameTarget;

    private FuseRequest() {
    }

    static FuseRequest current() {
        return CURRENT.get();
    }

    /** Notes the request in {@code buf} ({@code length} bytes) as the one this thread serves now. */
    static void begin(Pointer buf, int length) {
        FuseRequest r = CURRENT.get();
        r.opcode = length >= HEADER ? buf.getInt(4) : 0;
        r.renameTarget = null;
        if (r.opcode == RENAME || r.opcode == RENAME2) {
            // fuse_rename_in is the new folder (8 bytes); fuse_rename2_in adds flags and padding.
            int at = HEADER + (r.opcode == RENAME ? 8 : 16);
            int old = indexOfNul(buf, at, length);
            int end = old < 0 ? -1 : indexOfNul(buf, old + 1, length);
            if (end > old) {
                byte[] name = new byte[end - old - 1];
                buf.get(old + 1, name, 0, name.length);
                r.renameTarget = dev.strata.core.name.NameBytes.decode(name);
            }
        }
    }

    /** For tests: a request with this opcode (and rename target) without its bytes. */
    static void beginForTest(int opcode, String renameTarget) {
        FuseRequest r = CURRENT.get();
        r.opcode = opcode;
        r.renameTarget = renameTarget;
    }

    int opcode() {
        return opcode;
    }

    /** The name a rename request moves to (its last component), or null. */
    String renameTarget() {
        return renameTarget;
    }

    private static int indexOfNul(Pointer buf, int from, int length) {
        for (int i = from; i < length; i++) {
            if (buf.getByte(i) == 0) {
                return i;
            }
        }
        return -1;
    }
}
