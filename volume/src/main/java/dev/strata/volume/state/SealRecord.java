package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.FileContent;

import java.util.ArrayList;
import java.util.List;

/**
 * A version whose chunks may not be durable yet: enough to compute its content again after a crash
 * (the content it was made from, the overlay file holding what changed, the size), kept until the
 * chunk store has flushed. Immutable.
 *
 * @param seq        the version's sequence number (seals are redone in this order)
 * @param versionKey the key of its version record
 */
public record SealRecord(long seq, long ino, long overlay, FileContent base, long baseValid, List<Extent> extents,
                         long size, FileContent sealed, byte[] versionKey) {
    private static final int CODEC_VERSION = 1;

    public SealRecord {
        extents = List.copyOf(extents);
        versionKey = versionKey.clone();
    }

    @Override
    public byte[] versionKey() {
        return versionKey.clone();
    }

    public Staging staging() {
        return new Staging(overlay, base, baseValid, extents);
    }

    byte[] encode() {
        RecordOutput out = new RecordOutput().u8(CODEC_VERSION).u64(seq).u64(ino).u64(overlay).content(base)
                .u64(baseValid).u32(extents.size());
        for (Extent e : extents) {
            out.u64(e.start()).u64(e.end());
        }
        return out.u64(size).content(sealed).bytes(versionKey).toBytes();
    }

    static SealRecord decode(byte[] data) throws CorruptDataException {
        RecordInput in = new RecordInput(data, "seal record");
        if (in.u8() != CODEC_VERSION) {
            throw in.corrupt("unknown record version");
        }
        try {
            long seq = in.u64();
            long ino = in.u64();
            long overlay = in.u64();
            FileContent base = in.content();
            long baseValid = in.u64();
            int n = in.u32();
            if (n < 0 || n > data.length) {
                throw in.corrupt("extent count " + n);
            }
            List<Extent> extents = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long start = in.u64();
                extents.add(new Extent(start, in.u64()));
            }
            SealRecord s = new SealRecord(seq, ino, overlay, base, baseValid, extents, in.u64(), in.content(), in.bytes());
            in.end();
            return s;
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
    }
}
