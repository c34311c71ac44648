package dev.strata.core.posix;

import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns paths and names into the NUL-terminated bytes C functions take, and names the kernel returns
 * into strings, byte for byte ({@link PathBytes}, {@link NameBytes}). Stateless and thread-safe.
 */
final class NativePath {
    /** The charset the JDK itself uses for file names on Unix (only for {@link PathBytes}'s fallback). */
    static final Charset FILENAME_CHARSET = filenameCharset();

    private NativePath() {
    }

    static byte[] of(Path path) {
        return terminated(PathBytes.of(path));
    }

    /** A name (an extended attribute, a user) as NUL-terminated bytes. */
    static byte[] terminated(String name) {
        return terminated(NameBytes.encode(name));
    }

    private static byte[] terminated(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("name contains NUL: " + Printable.of(NameBytes.decode(bytes)));
            }
        }
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    static String decode(byte[] bytes, int offset, int length) {
        return NameBytes.decode(bytes, offset, length);
    }

    private static Charset filenameCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
