package dev.strata.volume.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;

/** The bytes of consecutive pieces of a {@link FileImage} as one stream. Confined to one thread. */
final class PiecesChannel implements ReadableByteChannel {
    private static final int STEP = 1 << 20;
    private final FileImage image;
    private final List<Piece> pieces;
    private int index;
    private long pos;
    private byte[] buf = new byte[0];

    PiecesChannel(FileImage image, List<Piece> pieces) {
        this.image = image;
        this.pieces = pieces;
        this.pos = pieces.isEmpty() ? 0 : pieces.get(0).start();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (index >= pieces.size()) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && index < pieces.size()) {
            Piece p = pieces.get(index);
            int n = (int) Math.min(Math.min(dst.remaining(), STEP), p.end() - pos);
            Piece part = new Piece(p.kind(), pos, pos + n);
            if (dst.hasArray()) {
                // Straight into the reader's buffer: no buffer of our own to allocate (and zero) per seal.
                image.copy(part, dst.array(), dst.arrayOffset() + dst.position());
                dst.position(dst.position() + n);
            } else {
                if (buf.length < n) {
                    buf = new byte[n];
                }
                image.copy(part, buf, 0);
                dst.put(buf, 0, n);
            }
            pos += n;
            total += n;
            if (pos == p.end()) {
                index++;
                if (index < pieces.size()) {
                    pos = pieces.get(index).start();
                }
            }
        }
        return total;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
