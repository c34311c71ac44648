package dev.strata.core.tree;

import dev.strata.core.name.NameBytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the encoding primitives of docs/format.md §10.1. Confined to one thread. */
final class ByteSink {
    private byte[] buf = new byte[256];
    private int len;

    void u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void zigzag(long v) {
        varint((v << 1) ^ (v >> 63));
    }

    void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    void bytes(byte[] b) {
        varint(b.length);
        raw(b);
    }

    /** A name: its exact bytes ({@link NameBytes}); UTF-8 for every name that is valid UTF-8. */
    void name(String s) {
        bytes(NameBytes.encode(s));
    }

    void string(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    void time(Timestamp t) {
        zigzag(t.seconds());
        varint(t.nanos());
    }

    /** This sink's bytes followed by {@code other}'s, in one array of the exact size. */
    byte[] concat(ByteSink other) {
        byte[] all = Arrays.copyOf(buf, len + other.len);
        System.arraycopy(other.buf, 0, all, len, other.len);
        return all;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
