package dev.strata.bench;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Reads an array as a channel with one copy per read (the JDK's stream adapter copies twice). Confined to one thread. */
final class ByteArrayChannel implements ReadableByteChannel {
    private final byte[] data;
    private int position;
    private boolean open = true;

    ByteArrayChannel(byte[] data) {
        this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (position >= data.length) {
            return -1;
        }
        int n = Math.min(dst.remaining(), data.length - position);
        dst.put(data, position, n);
        position += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
