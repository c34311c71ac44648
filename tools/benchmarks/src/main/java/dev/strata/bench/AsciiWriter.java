package dev.strata.bench;

import java.nio.charset.StandardCharsets;

/** Writes ASCII into a fixed region of an array, dropping what does not fit. Confined to one thread. */
final class AsciiWriter {
    private final byte[] out;
    private final int end;
    private int p;

    AsciiWriter(byte[] out, int offset, int length) {
        this.out = out;
        this.p = offset;
        this.end = offset + length;
    }

    boolean full() {
        return p >= end;
    }

    void put(char c) {
        if (p < end) {
            out[p++] = (byte) c;
        }
    }

    void put(byte[] ascii) {
        int n = Math.min(ascii.length, end - p);
        System.arraycopy(ascii, 0, out, p, n);
        p += n;
    }

    void put(String s) {
        put(s.getBytes(StandardCharsets.US_ASCII));
    }

    void put(long n) {
        put(Long.toString(n));
    }

    /** Fills whatever is left with spaces (never reached when callers loop until full). */
    void pad() {
        while (p < end) {
            out[p++] = ' ';
        }
    }
}
