package dev.strata.core.tree;

import dev.strata.core.error.CorruptDataException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the primitives of docs/format.md §10.1 with bounds checks: anything that overruns or is
 * malformed is reported as damaged data naming the object. Confined to one thread.
 */
final class ByteSource {
    private final byte[] buf;
    private final String what;
    private int pos;

    /** Where the next read starts. */
    int position() {
        return pos;
    }

    /** A source over the same bytes, reading from {@code at}. */
    ByteSource copyAt(int at) {
        ByteSource c = new ByteSource(buf, what);
        c.pos = at;
        return c;
    }

    ByteSource(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    int u8() throws CorruptDataException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long varint() throws CorruptDataException {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = u8();
            if (shift == 63 && (b & 0xFE) != 0) {
                throw corrupt("varint overflows 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    int smallInt(long max) throws CorruptDataException {
        long v = varint();
        if (v < 0 || v > max) {
            throw corrupt("value " + v + " out of range 0.." + max);
        }
        return (int) v;
    }

    /**
     * A count of items that each take at least {@code minBytesEach} more bytes: a count the rest of
     * the object cannot hold is damage, found before anything is allocated for it.
     */
    int count(int minBytesEach) throws CorruptDataException {
        long v = varint();
        long most = remaining() / minBytesEach;
        if (v < 0 || v > most) {
            throw corrupt("count " + Long.toUnsignedString(v) + " does not fit in the " + remaining() + " bytes left");
        }
        return (int) v;
    }

    /** A length or size in bytes: a varint below 2^63. */
    long length() throws CorruptDataException {
        long v = varint();
        if (v < 0) {
            throw corrupt("length " + Long.toUnsignedString(v) + " out of range");
        }
        return v;
    }

    long zigzag() throws CorruptDataException {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    byte[] raw(int n) throws CorruptDataException {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    byte[] bytes() throws CorruptDataException {
        return raw(smallInt(buf.length - pos));
    }

    String string() throws CorruptDataException {
        byte[] b = bytes();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt("a name is not valid UTF-8");
        }
    }

    Timestamp time() throws CorruptDataException {
        long s = zigzag();
        long n = varint();
        if (n < 0 || n > 999_999_999) {
            throw corrupt("nanoseconds out of range");
        }
        return new Timestamp(s, (int) n);
    }

    boolean atEnd() {
        return pos == buf.length;
    }

    int remaining() {
        return buf.length - pos;
    }

    CorruptDataException corrupt(String msg) {
        return new CorruptDataException(what + ": " + msg + " (at byte " + pos + ")");
    }

    private void need(int n) throws CorruptDataException {
        if (n < 0 || pos + n > buf.length) {
            throw corrupt("ends early");
        }
    }
}
