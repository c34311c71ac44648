package dev.strata.volume.state;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes the fields of a volume state record (docs/volume.md, local state), big-endian, into an array
 * that grows as needed (every step of the state encodes a record or two). Confined to one thread.
 */
final class RecordOutput {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf = new byte[128];
    private int size;

    RecordOutput u8(int v) {
        room(1);
        buf[size++] = (byte) v;
        return this;
    }

    RecordOutput u32(int v) {
        room(4);
        INT.set(buf, size, v);
        size += 4;
        return this;
    }

    RecordOutput u64(long v) {
        room(8);
        LONG.set(buf, size, v);
        size += 8;
        return this;
    }

    RecordOutput bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    RecordOutput bytes(byte[] v) {
        u32(v.length);
        return raw(v);
    }

    RecordOutput time(Timestamp t) {
        return u64(t.seconds()).u32(t.nanos());
    }

    RecordOutput content(FileContent c) {
        if (c instanceof FileContent.Inline inline) {
            u8(0).u32(inline.refs().size());
            for (ChunkRef r : inline.refs()) {
                if (r.isHole()) {
                    u8(0).u64(r.length());
                } else {
                    u8(1).id(r.id()).u64(r.length());
                }
            }
        } else {
            FileContent.Indirect indirect = (FileContent.Indirect) c;
            u8(1).u32(indirect.blocks().size());
            for (ContentBlock b : indirect.blocks()) {
                id(b.list()).u64(b.bytes()).u32(b.references());
            }
        }
        return this;
    }

    RecordOutput id(ChunkId id) {
        return raw(id.bytes());
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    private RecordOutput raw(byte[] v) {
        room(v.length);
        System.arraycopy(v, 0, buf, size, v.length);
        size += v.length;
        return this;
    }

    private void room(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
