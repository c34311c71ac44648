package dev.strata.volume.data;

import dev.strata.core.view.ReadSink;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The bytes of a file with unsealed changes, as the overlay, the base and zeros make them up
 * (docs/volume.md): overlay inside the written extents, else base below {@code baseValid}, else zero.
 * A view over the caller's structures; the caller keeps them still while it is used.
 */
final class FileImage {
    private final BaseReader base;
    private final long baseValid;
    private final NavigableMap<Long, Long> extents;
    private final long size;
    private final Overlay overlay;

    /** Where the written bytes are read from: memory, an overlay file, or a seal's record. */
    @FunctionalInterface
    interface Overlay {
        /** Copies the written bytes {@code [from, from + n)} into {@code dst} at {@code at}. */
        void read(long from, byte[] dst, int at, int n) throws IOException;

        /** The written bytes in an overlay file. */
        static Overlay of(FileChannel channel) {
            return (from, dst, at, n) -> {
                ByteBuffer b = ByteBuffer.wrap(dst, at, n);
                long pos = from;
                while (b.hasRemaining()) {
                    int r = channel.read(b, pos);
                    if (r < 0) {
                        throw new EOFException("overlay ends at " + pos + " inside a written range");
                    }
                    pos += r;
                }
            };
        }

        /** The written bytes as a seal's record carries them: {@code bytes} at their offsets from 0. */
        static Overlay of(byte[] bytes) {
            return (from, dst, at, n) -> {
                if (from + n > bytes.length) {
                    throw new EOFException("written bytes end at " + bytes.length + ", inside a written range");
                }
                System.arraycopy(bytes, (int) from, dst, at, n);
            };
        }
    }

    /** {@code overlay} may be null when nothing was written ({@code extents} empty). */
    FileImage(BaseReader base, long baseValid, NavigableMap<Long, Long> extents, long size, Overlay overlay) {
        this.base = base;
        this.baseValid = Math.min(baseValid, base.size());
        this.extents = extents;
        this.size = size;
        this.overlay = overlay;
    }

    long size() {
        return size;
    }

    /** Where the bytes of {@code [from, to)} come from, in order; base holes count as zeros. */
    List<Piece> pieces(long from, long to) {
        List<Piece> out = new ArrayList<>();
        long pos = from;
        long end = Math.min(to, size);
        while (pos < end) {
            Map.Entry<Long, Long> e = extents.floorEntry(pos);
            if (e != null && e.getValue() > pos) {
                long stop = Math.min(end, e.getValue());
                out.add(new Piece(Piece.Kind.OVERLAY, pos, stop));
                pos = stop;
                continue;
            }
            Long next = extents.higherKey(pos);
            long stop = Math.min(end, next == null ? Long.MAX_VALUE : next);
            if (pos < baseValid) {
                long baseStop = Math.min(stop, baseValid);
                addBase(out, pos, baseStop);
                pos = baseStop;
            } else {
                out.add(new Piece(Piece.Kind.ZERO, pos, stop));
                pos = stop;
            }
        }
        return merged(out);
    }

    private void addBase(List<Piece> out, long from, long to) {
        // Holes of the base are zeros: the rechunker keeps long ones as holes without reading them.
        int i = base.indexOf(from);
        long pos = from;
        while (pos < to) {
            long stop = Math.min(to, base.startOf(i + 1));
            Piece.Kind kind = base.isHoleChunk(i) ? Piece.Kind.ZERO : Piece.Kind.BASE;
            out.add(new Piece(kind, pos, stop));
            pos = stop;
            i++;
        }
    }

    private static List<Piece> merged(List<Piece> pieces) {
        List<Piece> out = new ArrayList<>(pieces.size());
        for (Piece p : pieces) {
            if (!out.isEmpty()) {
                Piece last = out.get(out.size() - 1);
                if (last.kind() == p.kind() && last.end() == p.start()) {
                    out.set(out.size() - 1, new Piece(p.kind(), last.start(), p.end()));
                    continue;
                }
            }
            out.add(p);
        }
        return out;
    }

    /** Reads {@code [offset, offset + length)} into {@code sink}; returns the bytes given (fewer at the end). */
    int read(long offset, int length, ReadSink sink) throws IOException {
        if (offset >= size || length <= 0) {
            return 0;
        }
        long end = Math.min(size, offset + length);
        byte[] buf = null;
        for (Piece p : pieces(offset, end)) {
            int at = (int) (p.start() - offset);
            int n = (int) p.length();
            switch (p.kind()) {
                case ZERO -> sink.zero(at, n);
                // Straight from the decoded chunks: no buffer per read for the common case.
                case BASE -> base.readTo(p.start(), n, sink, at);
                case OVERLAY -> {
                    if (buf == null || buf.length < n) {
                        buf = new byte[n];
                    }
                    readOverlay(p.start(), buf, 0, n);
                    sink.put(at, buf, 0, n);
                }
            }
        }
        return (int) (end - offset);
    }

    /** Copies the bytes of piece {@code p} into {@code dst} at {@code at}. */
    void copy(Piece p, byte[] dst, int at) throws IOException {
        int n = (int) p.length();
        switch (p.kind()) {
            case ZERO -> java.util.Arrays.fill(dst, at, at + n, (byte) 0);
            case BASE -> base.read(p.start(), dst, at, n);
            case OVERLAY -> readOverlay(p.start(), dst, at, n);
        }
    }

    private void readOverlay(long from, byte[] dst, int at, int n) throws IOException {
        overlay.read(from, dst, at, n);
    }
}
