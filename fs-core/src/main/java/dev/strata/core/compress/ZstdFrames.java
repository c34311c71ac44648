package dev.strata.core.compress;

import java.util.function.IntFunction;

/**
 * Reads the layout of a zstd frame (RFC 8878 §3.1.1) without decoding it: where it ends and how many
 * bytes it says it decodes to. A salvage uses it to find where a compressed pack entry ends when the
 * pack's table is lost. Stateless.
 */
public final class ZstdFrames {
    private static final int MAGIC = 0xFD2FB528;
    private static final int MAX_BLOCK = 128 * 1024;
    /** The longest frame header: magic, descriptor, window byte, 4-byte dictionary id, 8-byte size. */
    private static final int MAX_HEADER = 18;

    private ZstdFrames() {
    }

    /** What a frame header and its blocks say: the frame's length and its content size (-1 if not recorded). */
    public record Layout(int length, long contentSize) {
    }

    /** Whether the four bytes at {@code offset} are the zstd frame magic. */
    public static boolean startsWithMagic(byte[] b, int offset) {
        return b.length - offset >= 4 && le32(b, offset) == MAGIC;
    }

    /**
     * The layout of the frame at the start of a byte sequence of at most {@code max} bytes, of which
     * {@code prefix.apply(n)} returns an array holding at least the first {@code n}; null when those
     * bytes are not one well-formed frame that ends within {@code max}.
     */
    public static Layout layout(IntFunction<byte[]> prefix, int max) {
        if (max < 6) {
            return null;
        }
        byte[] b = prefix.apply(Math.min(max, MAX_HEADER));
        Header h = header(b, 0, Math.min(max, MAX_HEADER));
        if (h == null) {
            return null;
        }
        boolean checksum = (b[4] & 0x04) != 0;
        long contentSize = h.contentSize();
        int at = h.length();
        while (true) {
            if (at + 3 > max) {
                return null;
            }
            b = prefix.apply(at + 3);
            int header = (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
            boolean last = (header & 1) != 0;
            int type = (header >>> 1) & 3;
            int size = header >>> 3;
            if (type == 3 || size > MAX_BLOCK) {
                return null;
            }
            long next = (long) at + 3 + (type == 1 ? 1 : size);
            if (next > max) {
                return null;
            }
            at = (int) next;
            if (last) {
                break;
            }
        }
        if (checksum) {
            at += 4;
            if (at > max) {
                return null;
            }
        }
        return new Layout(at, contentSize);
    }

    /**
     * The content size the frame header at {@code b[offset]} records, or -1 when it records none or
     * the {@code length} bytes there do not start with a well-formed header. Reads the header in Java:
     * zstd-jni's own reader pins the array in a JNI critical section, which holds the collector back.
     */
    public static long declaredContentSize(byte[] b, int offset, int length) {
        Header h = header(b, offset, Math.min(length, MAX_HEADER));
        return h == null ? -1 : h.contentSize();
    }

    /** A frame header: its length and the content size it records (-1 if none). */
    private record Header(int length, long contentSize) {
    }

    /** The header at {@code b[base]}, of which {@code available} bytes are there; null if it is not one. */
    private static Header header(byte[] b, int base, int available) {
        if (available < 6 || le32(b, base) != MAGIC) {
            return null;
        }
        int descriptor = b[base + 4] & 0xFF;
        if ((descriptor & 0x08) != 0) {
            return null; // reserved bit
        }
        boolean singleSegment = (descriptor & 0x20) != 0;
        int dictionaryBytes = new int[] {0, 1, 2, 4}[descriptor & 0x03];
        int sizeFlag = descriptor >>> 6;
        int sizeBytes = sizeFlag == 0 ? (singleSegment ? 1 : 0) : new int[] {0, 2, 4, 8}[sizeFlag];
        int at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
        if (at + sizeBytes > available) {
            return null;
        }
        long contentSize = -1;
        if (sizeBytes > 0) {
            contentSize = 0;
            for (int i = sizeBytes - 1; i >= 0; i--) {
                contentSize = (contentSize << 8) | (b[base + at + i] & 0xFF);
            }
            if (sizeBytes == 2) {
                contentSize += 256;
            }
        }
        return new Header(at + sizeBytes, contentSize);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
