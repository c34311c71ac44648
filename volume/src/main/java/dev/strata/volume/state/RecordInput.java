package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of a volume state record, failing with {@link CorruptDataException} naming the
 * record on anything out of shape. Confined to one thread.
 */
final class RecordInput {
    private final ByteBuffer in;
    private final String what;

    RecordInput(byte[] data, String what) {
        this.in = ByteBuffer.wrap(data);
        this.what = what;
    }

    int u8() throws CorruptDataException {
        need(1);
        return in.get() & 0xff;
    }

    int u32() throws CorruptDataException {
        need(4);
        return in.getInt();
    }

    long u64() throws CorruptDataException {
        need(8);
        return in.getLong();
    }

    boolean bool() throws CorruptDataException {
        return u8() != 0;
    }

    byte[] bytes() throws CorruptDataException {
        int n = u32();
        if (n < 0) {
            throw corrupt("negative length " + n);
        }
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    Timestamp time() throws CorruptDataException {
        long s = u64();
        int n = u32();
        if (n < 0 || n > 999_999_999) {
            throw corrupt("nanoseconds out of range");
        }
        return new Timestamp(s, n);
    }

    ChunkId id() throws CorruptDataException {
        need(32);
        byte[] b = new byte[32];
        in.get(b);
        return ChunkId.of(b);
    }

    FileContent content() throws CorruptDataException {
        int form = u8();
        int count = u32();
        if (count < 0 || count > in.remaining()) {
            throw corrupt("content count " + count);
        }
        try {
            if (form == 0) {
                List<ChunkRef> refs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int kind = u8();
                    if (kind == 0) {
                        refs.add(ChunkRef.hole(u64()));
                    } else if (kind == 1) {
                        ChunkId id = id();
                        refs.add(ChunkRef.chunk(id, u64()));
                    } else {
                        throw corrupt("content reference kind " + kind);
                    }
                }
                return new FileContent.Inline(refs);
            }
            if (form == 1) {
                List<ContentBlock> blocks = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ChunkId id = id();
                    blocks.add(new ContentBlock(id, u64(), u32()));
                }
                return new FileContent.Indirect(blocks);
            }
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage());
        }
        throw corrupt("content form " + form);
    }

    void end() throws CorruptDataException {
        if (in.hasRemaining()) {
            throw corrupt(in.remaining() + " bytes after the end");
        }
    }

    CorruptDataException corrupt(String why) {
        return new CorruptDataException("volume state: " + what + ": " + why);
    }

    private void need(int n) throws CorruptDataException {
        if (in.remaining() < n) {
            throw corrupt("cut short");
        }
    }
}
