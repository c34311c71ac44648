package dev.strata.snapshot.archive;

import dev.strata.core.name.NameBytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The PAX header names that hold extended attributes: {@code SCHILY.xattr.NAME} (GNU tar, star; the
 * value is the raw text) and {@code LIBARCHIVE.xattr.NAME} (bsdtar; the name URL-encoded, the value
 * base64). Stateless.
 */
final class XattrHeaders {
    static final String SCHILY = "SCHILY.xattr.";
    static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private XattrHeaders() {
    }

    /** libarchive's escaping of a name's bytes: '%', '=' and bytes outside printable ASCII as %XX. */
    static String escapeName(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : NameBytes.encode(name)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '=') {
                sb.append('%').append(String.format("%02X", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** The name {@link #escapeName} escaped (a '%' not followed by two hex digits stays as it is). */
    static String unescapeName(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = escaped.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && isHex((char) in[i + 1]) && isHex((char) in[i + 2])) {
                out.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return NameBytes.decode(out.toByteArray());
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
