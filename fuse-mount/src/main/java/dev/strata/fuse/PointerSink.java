package dev.strata.fuse;

import dev.strata.core.view.ReadSink;
import jnr.ffi.Pointer;

/** A read sink writing straight into the kernel's reply buffer. Confined to one callback. */
final class PointerSink implements ReadSink {
    private final Pointer buf;

    PointerSink(Pointer buf) {
        this.buf = buf;
    }

    @Override
    public void put(int at, byte[] src, int srcOffset, int length) {
        buf.put(at, src, srcOffset, length);
    }

    @Override
    public void zero(int at, int length) {
        buf.setMemory(at, length, (byte) 0);
    }
}
