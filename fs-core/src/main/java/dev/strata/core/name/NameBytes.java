package dev.strata.core.name;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps the bytes of a file name (or a symlink target, an xattr name) to the string Strata handles
 * it as, and back, without loss: valid UTF-8 decodes as usual, and each byte that is not part of
 * valid UTF-8 becomes the lone surrogate {@code U+DC80 + (byte - 0x80)} (Python's
 * "surrogateescape"). Stateless, thread-safe.
 *
 * <p>{@code encode(decode(b))} equals {@code b} for every byte string, so names that are not UTF-8
 * survive a backup, a restore and the mount byte for byte, while a valid UTF-8 name is the very
 * string it always was (and is written to a tree as the very bytes it always was). Not every
 * string comes from bytes: {@link #isCanonical} tells those that do.
 */
public final class NameBytes {
    /** The first escape: byte 0x80. Escapes run to {@code 0xDCFF} (byte 0xFF). */
    private static final char ESCAPE_FIRST = '\uDC80';
    private static final char ESCAPE_LAST = '\uDCFF';

    private NameBytes() {
    }

    /** The string for {@code bytes}; never fails. */
    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static String decode(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && bytes[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1); // all ASCII
        }
        StringBuilder sb = new StringBuilder(length);
        for (int k = offset; k < i; k++) {
            sb.append((char) bytes[k]);
        }
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                sb.append((char) b);
                i++;
                continue;
            }
            int n = sequenceLength(b);
            int cp = n == 0 ? -1 : codePoint(bytes, i, n, end);
            if (cp < 0) {
                sb.append((char) (0xDC00 + b));
                i++;
            } else {
                sb.appendCodePoint(cp);
                i += n;
            }
        }
        return sb.toString();
    }

    /**
     * The bytes of {@code name}.
     *
     * @throws IllegalArgumentException if it holds a surrogate that is neither part of a pair nor an
     *     escaped byte (such a string comes from no byte string)
     */
    public static byte[] encode(String name) {
        int n = name.length();
        int i = 0;
        while (i < n && name.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            return name.getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] out = new byte[n * 3];
        int o = 0;
        for (int k = 0; k < n; k++) {
            char c = name.charAt(k);
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xC0 | (c >> 6));
                out[o++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(name.charAt(k + 1))) {
                int cp = Character.toCodePoint(c, name.charAt(++k));
                out[o++] = (byte) (0xF0 | (cp >> 18));
                out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (cp & 0x3F));
            } else if (c >= ESCAPE_FIRST && c <= ESCAPE_LAST) {
                out[o++] = (byte) (c - 0xDC00);
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("a lone surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " is no file name byte: " + Printable.of(name));
            } else {
                out[o++] = (byte) (0xE0 | (c >> 12));
                out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return Arrays.copyOf(out, o);
    }

    /**
     * Whether {@code name} is the string of some byte string: {@code decode(encode(name))} gives it
     * back. False for lone surrogates that escape nothing, and for escapes that together spell valid
     * UTF-8 (that text decodes as characters, not as escapes).
     */
    public static boolean isCanonical(String name) {
        if (!hasSurrogate(name)) {
            return true;
        }
        try {
            return decode(encode(name)).equals(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code name} holds a byte that is not part of valid UTF-8 (an escape). */
    public static boolean hasEscapes(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= ESCAPE_FIRST && c <= ESCAPE_LAST && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} is an escaped byte, given it is not the low half of a surrogate pair. */
    static boolean isEscape(char c) {
        return c >= ESCAPE_FIRST && c <= ESCAPE_LAST;
    }

    /**
     * Orders names as their bytes compare, unsigned (which for valid UTF-8 is code-point order).
     * Allocates nothing unless the first difference involves a surrogate.
     */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Arrays.compareUnsigned(encode(a), encode(b));
                }
                // Same text before here, so the same bytes; UTF-8 keeps code-point order.
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The length of the UTF-8 sequence a lead byte starts, or 0 if it starts none. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** The code point of the well-formed sequence at {@code i}, or -1 (overlong, surrogate, too large, cut). */
    private static int codePoint(byte[] bytes, int i, int n, int end) {
        if (i + n > end) {
            return -1;
        }
        int cp = bytes[i] & (0xFF >> (n + 1));
        for (int k = 1; k < n; k++) {
            int c = bytes[i + k] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        boolean valid = switch (n) {
            case 2 -> cp >= 0x80;
            case 3 -> cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
            default -> cp >= 0x10000 && cp <= 0x10FFFF;
        };
        return valid ? cp : -1;
    }
}
