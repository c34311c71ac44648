package dev.strata.volume.state;

import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.ContentBlock;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the fields of a volume state record (docs/volume.md, local state). Confined to one thread. */
final class RecordOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    private final DataOutputStream out = new DataOutputStream(bytes);

    RecordOutput u8(int v) {
        return run(() -> out.writeByte(v));
    }

    RecordOutput u32(int v) {
        return run(() -> out.writeInt(v));
    }

    RecordOutput u64(long v) {
        return run(() -> out.writeLong(v));
    }

    RecordOutput bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    RecordOutput bytes(byte[] v) {
        return run(() -> {
            out.writeInt(v.length);
            out.write(v);
        });
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
        return run(() -> out.write(id.bytes()));
    }

    byte[] toBytes() {
        return bytes.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private RecordOutput run(Write w) {
        try {
            w.run();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return this;
    }
}
