package dev.strata.volume.state;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.tree.FileContent;

import java.util.ArrayList;
import java.util.List;

/**
 * A version whose chunks may not be durable yet: enough to compute its content again after a crash
 * (the content it was made from, what changed, the size), kept until the chunk store has flushed.
 * What changed is in the overlay file {@code overlay}, or, for the few bytes a small file's changes
 * are, in the record itself ({@code inline}: the written bytes at their offsets, up to the end of the
 * last written range). Immutable.
 *
 * @param seq        the version's sequence number (seals are redone in this order)
 * @param versionKey the key of its version record
 * @param inline     the written bytes when there is no overlay file; else null
 */
public record SealRecord(long seq, long ino, long overlay, FileContent base, long baseValid, List<Extent> extents,
                         long size, FileContent sealed, byte[] versionKey, byte[] inline) {
    /** 1: without inline bytes (still read); 2: with them. */
    private static final int CODEC_VERSION = 2;

    public SealRecord {
        extents = List.copyOf(extents);
        versionKey = versionKey.clone();
        inline = inline == null ? null : inline.clone();
        if (inline != null && overlay != 0) {
            throw new IllegalArgumentException("written bytes both inline and in overlay " + overlay);
        }
    }

    @Override
    public byte[] versionKey() {
        return versionKey.clone();
    }

    @Override
    public byte[] inline() {
        return inline == null ? null : inline.clone();
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
        out.u64(size).content(sealed).bytes(versionKey);
        if (inline == null) {
            out.u8(0);
        } else {
            out.u8(1).bytes(inline);
        }
        return out.toBytes();
    }

    static SealRecord decode(byte[] data) throws CorruptDataException {
        RecordInput in = new RecordInput(data, "seal record");
        int codec = in.u8();
        if (codec != 1 && codec != CODEC_VERSION) {
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
            long size = in.u64();
            FileContent sealed = in.content();
            byte[] versionKey = in.bytes();
            byte[] inline = null;
            if (codec >= 2) {
                int has = in.u8();
                if (has > 1) {
                    throw in.corrupt("inline flag " + has);
                }
                inline = has == 1 ? in.bytes() : null;
            }
            SealRecord s = new SealRecord(seq, ino, overlay, base, baseValid, extents, size, sealed, versionKey, inline);
            in.end();
            return s;
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
    }
}
